#!/usr/bin/env node
// Compiles the loader's optional native helpers (native/src/jpeg.c → native/build/tripletkit_loader.node): JPEG
// decoding at a reduced DCT scale with the system libjpeg(-turbo), and the resampler in C. Run by the package's
// `build` script, hence by `pnpm install`. It never fails an install: on any problem it prints ONE line and exits 0,
// and the loader uses sharp and its TypeScript resampler instead (same pixels for the resampler; JPEGs then go
// through sharp). Env: CC (compiler), TRIPLETKIT_SKIP_NATIVE=1 (do not build), TRIPLETKIT_NATIVE_VERBOSE=1.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const source = path.join(root, 'native', 'src', 'jpeg.c');
const outDir = path.join(root, 'native', 'build');
const target = path.join(outDir, 'tripletkit_loader.node');
const verbose = process.env.TRIPLETKIT_NATIVE_VERBOSE === '1';

function done(line) {
  console.log(`tripletkit loader native helpers: ${line}`);
  process.exit(0);
}

function nodeIncludeDir() {
  const candidates = [];
  if (process.env.npm_config_nodedir) candidates.push(path.join(process.env.npm_config_nodedir, 'include', 'node'));
  candidates.push(path.resolve(path.dirname(process.execPath), '..', 'include', 'node'));
  const prefix = process.config?.variables?.node_prefix;
  if (typeof prefix === 'string' && prefix) candidates.push(path.join(prefix, 'include', 'node'));
  candidates.push('/usr/include/node', '/usr/local/include/node');
  return candidates.find((dir) => existsSync(path.join(dir, 'node_api.h')));
}

try {
  if (process.env.TRIPLETKIT_SKIP_NATIVE === '1') done('skipped (TRIPLETKIT_SKIP_NATIVE=1); using sharp');
  if (process.platform === 'win32') done('not built on Windows; using sharp');
  const include = nodeIncludeDir();
  if (!include) done('Node headers (node_api.h) not found; using sharp');
  const names = process.env.CC ? [process.env.CC] : ['cc', 'gcc', 'clang'];
  const cc = names.find((n) => spawnSync(n, ['--version'], { stdio: 'ignore' }).status === 0);
  if (!cc) done('no C compiler found; using sharp');
  mkdirSync(outDir, { recursive: true });
  const tmp = `${target}.${process.pid}.tmp`;
  // -ffp-contract=off, no fast-math: the resampler must do exactly the float64 operations resizeRaw.ts does.
  const base = ['-O3', '-std=c11', '-fPIC', '-shared', '-ffp-contract=off', '-fno-fast-math', '-fvisibility=hidden'];
  base.push('-Wall', `-I${include}`, source, '-o', tmp, '-ljpeg');
  if (process.platform === 'darwin') base.push('-undefined', 'dynamic_lookup');
  // With zlib (PNG inflate without per-image allocations) when its headers are there; else without it.
  let r = spawnSync(cc, ['-DTK_ZLIB', ...base, '-lz'], { encoding: 'utf8' });
  if (r.status !== 0) r = spawnSync(cc, base, { encoding: 'utf8' });
  if (r.status !== 0) {
    rmSync(tmp, { force: true });
    const first = `${r.stderr ?? ''}${r.error?.message ?? ''}`.split('\n').find((l) => l.trim()) ?? 'unknown error';
    if (verbose) console.error(r.stderr);
    done(`${cc} failed (${first.trim()}; is libjpeg-dev / libjpeg-turbo installed?); using sharp`);
  }
  if (verbose && r.stderr) console.error(r.stderr);
  renameSync(tmp, target);
  done(`built ${path.relative(process.cwd(), target)} with ${cc}`);
} catch (err) {
  done(`build skipped (${err instanceof Error ? err.message.split('\n')[0] : String(err)}); using sharp`);
}
