// One recipe for tripletkit's optional native addons (miner kernel, trainer kernels, loader helpers): compile C
// sources with the system compiler against Node's own N-API headers, load-test the result in a separate process, then
// rename it into place. Shipped in @tripletkit/common (export `@tripletkit/common/build-addon`) so each package's
// scripts/build-native.mjs can use it after `npm i`, outside this repository. Modes (argv of the calling script):
//   (none)       the package's `build` script: compile into native/build/ (one output folder for all addons);
//   --install    npm's `install` script: do nothing if a prebuilt (prebuilds/<platform>-<arch>/) or compiled binary
//                already loads, else compile from source; skipped in a source checkout (its build script compiles);
//   --prebuild   `prepack`: compile into prebuilds/<platform>-<arch>/, the binary the tarball ships.
// It must never fail an install: on any problem it prints ONE line and exits 0, and the package uses its fallback.
// The flags have no -march=native: SIMD code carries its own target attributes and is picked by cpuid at run time, so
// a prebuilt binary runs on any x86-64 and is as fast as a local build.
// Env: CC (compiler, default cc → gcc → clang), TRIPLETKIT_NATIVE=0 or TRIPLETKIT_NATIVE_BUILD=0 (do not build; the
// older TRIPLETKIT_SKIP_NATIVE=1 too), TRIPLETKIT_NATIVE_VERBOSE=1.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The shared C headers (tripletkit_napi.h, tripletkit_cpu.h), shipped with this package: on every addon's include path. */
export const SHARED_INCLUDE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'native', 'include');

/** The variants of an addon with SIMD kernels: all of them, then without AVX-512, then scalar only (older compilers). */
export const SIMD_VARIANTS = [
  { label: '' },
  { flags: ['-DTK_NO_AVX512'], label: ' (without AVX-512)' },
  { flags: ['-DTK_NO_SIMD'], label: ' (scalar only)' },
];

/**
 * The C sources of a package's addon (native/src/*.c) and a load probe that rejects a binary whose info().version
 * is not the `#define TK_VERSION n` of native/src/addon.c, and reports the micro-kernel picked on this machine.
 * @param {string} root the package folder
 */
export function versionedSources(root) {
  const srcDir = path.join(root, 'native', 'src');
  const version = Number(/#define TK_VERSION (\d+)/.exec(readFileSync(path.join(srcDir, 'addon.c'), 'utf8'))?.[1]);
  return {
    sources: readdirSync(srcDir)
      .filter((f) => f.endsWith('.c'))
      .map((f) => path.join(srcDir, f)),
    probe: `const i=m.exports.info();if(i.version!==${version})process.exit(3);console.log('micro-kernel here: '+i.isa)`,
  };
}

/** Node's header folder: npm's nodedir, next to this node binary, its configured prefix, node-gyp's cache, or /usr. */
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

/** Loads `file` in a separate process and runs `js` (the addon is `m.exports`); the spawnSync result. */
function probe(file, js) {
  const code = `const m={exports:{}};process.dlopen(m,${JSON.stringify(file)});${js ?? ''}`;
  return spawnSync(process.execPath, ['-e', code], { encoding: 'utf8' });
}

function probeOk(file, js) {
  return probe(file, js).status === 0;
}

function findCompiler() {
  const names = process.env.CC ? [process.env.CC] : ['cc', 'gcc', 'clang'];
  return names.find((cc) => spawnSync(cc, ['--version'], { stdio: 'ignore' }).status === 0);
}

/**
 * The package folder of a `scripts/build-native.mjs`, from its `import.meta.url`.
 * @param {string} scriptUrl
 */
export function packageRoot(scriptUrl) {
  return path.resolve(path.dirname(fileURLToPath(scriptUrl)), '..');
}

/**
 * buildAddon for a package whose native/src/*.c hold SIMD kernels and an addon.c with `#define TK_VERSION n`: every
 * C file, the SIMD variant ladder and the version-checking probe.
 * @param {string} scriptUrl the calling script's import.meta.url
 * @param {{label: string, fallback: string, file: string}} o
 */
export function buildSimdAddon(scriptUrl, o) {
  const root = packageRoot(scriptUrl);
  buildAddon({ ...versionedSources(root), variants: SIMD_VARIANTS, root, ...o });
}

/**
 * Builds one addon and exits the process with status 0 whatever happens.
 * @param {object} o
 * @param {string} o.label      prefix of the one line printed, e.g. 'tripletkit native kernel'
 * @param {string} o.fallback   what is used instead, e.g. 'using the pure-TS kernel'
 * @param {string[]} o.sources  C files
 * @param {string} o.root       the package folder
 * @param {string} o.file       the addon's file name without .node (output: native/build/<file>.node)
 * @param {string[]} [o.flags]  compiler flags besides the common ones
 * @param {string[]} [o.libs]   libraries to link
 * @param {{flags?: string[], libs?: string[], label: string}[]} [o.variants] tried in order until one builds and loads
 * @param {string} [o.probe]    JS run after loading the addon into `m` (a module object) in a child process: it may
 *                              exit non-zero to reject the build, and what it prints is appended to the line
 */
export function buildAddon(o) {
  const done = (line) => {
    console.log(`${o.label}: ${line}`);
    process.exit(0);
  };
  const verbose = process.env.TRIPLETKIT_NATIVE_VERBOSE === '1';
  const mode = process.argv.includes('--prebuild') ? 'prebuild' : process.argv.includes('--install') ? 'install' : '';
  const platformDir = `${process.platform}-${process.arch}`;
  const built = path.join(o.root, 'native', 'build', `${o.file}.node`);
  const prebuilt = path.join(o.root, 'prebuilds', platformDir, `${o.file}.node`);
  const target = mode === 'prebuild' ? prebuilt : built;
  const env = process.env;
  try {
    const off = ['TRIPLETKIT_NATIVE', 'TRIPLETKIT_NATIVE_BUILD'].find((k) => env[k] === '0');
    if (off) done(`skipped (${off}=0); ${o.fallback}`);
    if (env.TRIPLETKIT_SKIP_NATIVE === '1') done(`skipped (TRIPLETKIT_SKIP_NATIVE=1); ${o.fallback}`);
    if (mode === 'install') {
      // A source checkout has tsconfig.build.json (never shipped): its `build` script compiles, not npm's install.
      if (existsSync(path.join(o.root, 'tsconfig.build.json'))) process.exit(0);
      const ready = [prebuilt, built].find((p) => existsSync(p) && probeOk(p, o.probe));
      if (ready) done(`using ${path.relative(o.root, ready)}`);
    }
    if (process.platform === 'win32') done(`not built on Windows (no MSVC recipe); ${o.fallback}`);
    const include = nodeIncludeDir();
    if (!include) done(`Node headers (node_api.h) not found; ${o.fallback}`);
    const cc = findCompiler();
    if (!cc) done(`no C compiler (cc/gcc/clang) found; ${o.fallback}`);
    mkdirSync(path.dirname(target), { recursive: true });
    const tmp = `${target}.${process.pid}.tmp`;
    // -ffp-contract=off, no fast-math: the compiler must not fuse or reassociate floating point, so results match the
    // portable fallbacks' operation order and never depend on tiling (see each package's C sources).
    const base = ['-O3', '-std=c11', '-D_ISOC11_SOURCE', '-fPIC', '-shared', '-ffp-contract=off', '-fno-fast-math'];
    base.push(
      '-fvisibility=hidden',
      '-Wall',
      '-Werror=implicit-function-declaration',
      `-I${include}`,
      `-I${SHARED_INCLUDE}`,
      ...(o.flags ?? []),
    );
    let firstError = '';
    for (const v of o.variants ?? [{ label: '' }]) {
      const args = [...base, ...(v.flags ?? []), ...o.sources, '-o', tmp, ...(o.libs ?? []), ...(v.libs ?? []), '-lm'];
      if (process.platform === 'darwin') args.push('-undefined', 'dynamic_lookup');
      const r = spawnSync(cc, args, { encoding: 'utf8' });
      if (verbose && r.stderr) console.error(r.stderr);
      if (r.status !== 0) {
        firstError ||=
          `${r.stderr ?? ''}${r.error?.message ?? ''}`.split('\n').find((l) => l.trim()) ?? 'unknown error';
        continue;
      }
      // Load it in a separate process before installing it, so a binary that builds but cannot load never replaces
      // a working one (and never crashes the package that uses it).
      const check = probe(tmp, o.probe);
      if (check.status !== 0) {
        const lines = (check.stderr || 'unknown error').split('\n');
        firstError ||= `built but does not load: ${lines.find((l) => /Error/.test(l)) ?? lines[0]}`;
        continue;
      }
      renameSync(tmp, target); // atomic: a worker loading the addon never sees half a file
      const note = check.stdout.trim();
      done(`built ${path.relative(o.root, target)} with ${cc}${v.label}${note ? `; ${note}` : ''}`);
    }
    rmSync(tmp, { force: true });
    done(`${cc} failed (${firstError.trim()}); ${o.fallback}`);
  } catch (err) {
    done(`build skipped (${err instanceof Error ? err.message.split('\n')[0] : String(err)}); ${o.fallback}`);
  }
}
