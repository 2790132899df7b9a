#!/usr/bin/env node
// Compiles the trainer's optional native GEMM/convolution kernels (native/src/*.c → native/dist/tripletkit_gemm.node)
// with the system C compiler and Node's own N-API headers (same recipe as the miner's kernel). Run by the trainer's
// `build` script, hence by `pnpm install`. It must never fail an install: on any problem it prints ONE line and exits
// 0, and training uses the wasm kernels.
// Env: CC (compiler, default cc → gcc → clang), TRIPLETKIT_SKIP_NATIVE=1 (do not build), TRIPLETKIT_NATIVE_VERBOSE=1.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const srcDir = path.join(root, 'native', 'src');
const outDir = path.join(root, 'native', 'dist');
const target = path.join(outDir, 'tripletkit_gemm.node');
const verbose = process.env.TRIPLETKIT_NATIVE_VERBOSE === '1';

function done(line) {
  console.log(`tripletkit trainer native kernels: ${line}`);
  process.exit(0);
}

/** Node's header folder: next to this node binary, its configured prefix, node-gyp's cache, or npm's nodedir. */
function nodeIncludeDir() {
  const candidates = [];
  const nodedir = process.env.npm_config_nodedir;
  if (nodedir) candidates.push(path.join(nodedir, 'include', 'node'));
  candidates.push(path.resolve(path.dirname(process.execPath), '..', 'include', 'node'));
  const prefix = process.config?.variables?.node_prefix;
  if (typeof prefix === 'string' && prefix) candidates.push(path.join(prefix, 'include', 'node'));
  const version = process.versions.node;
  for (const cache of [
    path.join(homedir(), '.cache', 'node-gyp', version),
    path.join(homedir(), 'Library', 'Caches', 'node-gyp', version),
    path.join(homedir(), '.node-gyp', version),
  ]) {
    candidates.push(path.join(cache, 'include', 'node'));
  }
  candidates.push('/usr/include/node', '/usr/local/include/node');
  return candidates.find((dir) => existsSync(path.join(dir, 'node_api.h')));
}

function findCompiler() {
  const names = process.env.CC ? [process.env.CC] : ['cc', 'gcc', 'clang'];
  return names.find((cc) => spawnSync(cc, ['--version'], { stdio: 'ignore' }).status === 0);
}

try {
  if (process.env.TRIPLETKIT_SKIP_NATIVE === '1') done('skipped (TRIPLETKIT_SKIP_NATIVE=1); the wasm kernels are used');
  if (process.platform === 'win32') done('not built on Windows (no MSVC recipe); the wasm kernels are used');
  const include = nodeIncludeDir();
  if (!include) done('Node headers (node_api.h) not found; the wasm kernels are used');
  const cc = findCompiler();
  if (!cc) done('no C compiler (cc/gcc/clang) found; the wasm kernels are used');

  const sources = readdirSync(srcDir)
    .filter((f) => f.endsWith('.c'))
    .map((f) => path.join(srcDir, f));
  mkdirSync(outDir, { recursive: true });
  const tmp = `${target}.${process.pid}.tmp`;
  // -ffp-contract=off: the compiler must not fuse or reassociate floating point (same results for the same inputs).
  // No -march=native: the SIMD micro-kernels carry their own target attributes and are chosen by cpuid at run
  // time, so the binary stays correct if node_modules moves to another x86-64 machine.
  const base = ['-O3', '-std=c11', '-D_ISOC11_SOURCE', '-fPIC', '-shared', '-ffp-contract=off', '-fno-fast-math'];
  base.push('-fvisibility=hidden', '-Wall', `-I${include}`);
  const tail = [...sources, '-o', tmp, '-lm'];
  if (process.platform === 'darwin') tail.push('-undefined', 'dynamic_lookup');
  // An older compiler may lack AVX-512 (or any) intrinsics: retry without them before giving up on native code.
  const variants = [
    { flags: [], label: '' },
    { flags: ['-DTK_NO_AVX512'], label: ' (without AVX-512)' },
    { flags: ['-DTK_NO_SIMD'], label: ' (scalar only)' },
  ];
  const version = Number(/#define TK_VERSION (\d+)/.exec(readFileSync(path.join(srcDir, 'addon.c'), 'utf8'))?.[1]);
  let firstError = '';
  for (const { flags, label } of variants) {
    const r = spawnSync(cc, [...base, ...flags, ...tail], { encoding: 'utf8' });
    if (verbose && r.stderr) console.error(r.stderr);
    if (r.status !== 0) {
      firstError ||= `${r.stderr ?? ''}${r.error?.message ?? ''}`.split('\n').find((l) => l.trim()) ?? 'unknown error';
      continue;
    }
    // Load it in a separate process before installing it, so a binary that builds but cannot load never replaces
    // a working one (and never crashes training).
    const probe = `const m={exports:{}};process.dlopen(m,${JSON.stringify(tmp)});const i=m.exports.info();if(i.version!==${version})process.exit(3);console.log(i.isa)`;
    const check = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8' });
    if (check.status !== 0) {
      const lines = (check.stderr || 'unknown error').split('\n');
      firstError ||= `built but does not load: ${lines.find((l) => /Error/.test(l)) ?? lines[0]}`;
      continue;
    }
    renameSync(tmp, target); // atomic: a worker loading the addon never sees half a file
    done(`built ${path.relative(process.cwd(), target)} with ${cc}${label}; micro-kernel here: ${check.stdout.trim()}`);
  }
  rmSync(tmp, { force: true });
  done(`${cc} failed (${firstError.trim()}); the wasm kernels are used`);
} catch (err) {
  done(`build skipped (${err instanceof Error ? err.message.split('\n')[0] : String(err)}); the wasm kernels are used`);
}
