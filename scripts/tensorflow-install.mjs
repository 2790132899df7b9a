#!/usr/bin/env node
/**
 * `pnpm tensorflow:install [--gpu] [--force] [--check] [--offline]`: makes the trainer's `--backend tensorflow` work by installing
 * @tensorflow/tfjs-node (or, with --gpu, @tensorflow/tfjs-node-gpu) 4.22.0 into `<repo>/.tensorflow/` (git-ignored).
 *
 * Why a separate folder: the native packages run an install script that downloads libtensorflow, so they can never be
 * ordinary dependencies (a frozen `pnpm install` must work offline and without build approvals). The trainer's backend
 * selector looks in `.tensorflow/node_modules` (walking up from its own location, or $TRIPLETKIT_TENSORFLOW_DIR), so
 * neither package.json nor the lockfile changes for anyone.
 *
 * How (CPU): where libtensorflow can be downloaded, the package's own install (npm, install scripts on). Otherwise the
 * C library and headers come from a local TensorFlow Python wheel ($TF_WHEEL, else the newest one found in the usual
 * wheel folders) and the binding is compiled with node-gyp (bundled with npm) against Node's headers — no network
 * beyond the npm registry. Linux x86_64 only for the wheel route. `--offline`, or an explicit $TF_WHEEL, skips the
 * download (and its reachability probe) and goes straight to the wheel: what CI uses, so it contacts no host but the
 * npm registry.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const VERSION = '4.22.0';
/** What tfjs-node 4.22's scripts/install.js downloads (it is built against libtensorflow 2.9.1). */
const LIBTF_VERSION = '2.9.1';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const gpu = args.has('--gpu');
const force = args.has('--force');
const offline = args.has('--offline') || Boolean(process.env.TF_WHEEL);
const pkg = gpu ? '@tensorflow/tfjs-node-gpu' : '@tensorflow/tfjs-node';
const prefix = path.resolve(process.env.TRIPLETKIT_TENSORFLOW_DIR ?? path.join(root, '.tensorflow'));
const pkgDir = path.join(prefix, 'node_modules', ...pkg.split('/'));

const say = (line) => console.error(`tensorflow:install: ${line}`);
function fail(message, hint) {
  console.error(`tensorflow:install: ${message}`);
  if (hint) console.error(`  hint: ${hint}`);
  process.exit(1);
}
function run(cmd, argv, options = {}) {
  const r = spawnSync(cmd, argv, { stdio: ['ignore', 'inherit', 'inherit'], ...options });
  if (r.error) fail(`could not run ${cmd}: ${r.error.message}`);
  return r.status === 0;
}

for (const a of args) {
  if (!['--gpu', '--force', '--check', '--offline'].includes(a)) {
    console.error(
      `tensorflow:install: unknown option ${a}. Usage: pnpm tensorflow:install [--gpu] [--force] [--check] [--offline]`,
    );
    process.exit(2);
  }
}

/** Loads the package in a child process and runs one op: the proof that the trainer will be able to use it. */
function smokeTest() {
  const code = `
    const tf = require(${JSON.stringify(pkgDir)});
    const s = tf.add(tf.tensor1d([1, 2, 3]), 1).dataSync().join(',');
    if (s !== '2,3,4') throw new Error('wrong result ' + s);
    const b = tf.backend();
    console.log(JSON.stringify({ libtensorflow: b.binding.TF_Version, gpu: b.isUsingGpuDevice }));`;
  const r = spawnSync(process.execPath, ['-e', code], {
    encoding: 'utf8',
    env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: process.env.TF_CPP_MIN_LOG_LEVEL ?? '2' },
  });
  if (r.status !== 0) return { ok: false, error: (r.stderr || r.stdout).trim().split('\n').slice(-3).join(' ') };
  return { ok: true, ...JSON.parse(r.stdout.trim().split('\n').pop()) };
}

function report(how) {
  const s = smokeTest();
  if (!s.ok) fail(`${pkg} is installed in ${prefix} but does not load: ${s.error}`, 'Run again with --force.');
  say(
    `OK (${how}): ${pkg}@${VERSION} with libtensorflow ${s.libtensorflow}` +
      `${s.gpu ? ', GPU device visible' : ', CPU'}. Train with: pnpm exec tripletkit train --backend tensorflow …`,
  );
}

/** Creates the private npm prefix and installs the package's JavaScript (and, with scripts, its native parts). */
function npmInstall(withScripts) {
  fs.mkdirSync(prefix, { recursive: true });
  const manifest = path.join(prefix, 'package.json');
  if (!fs.existsSync(manifest)) {
    const note = 'Installed by pnpm tensorflow:install; safe to delete.';
    fs.writeFileSync(manifest, `${JSON.stringify({ private: true, description: note }, null, 2)}\n`);
  }
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const flags = ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error'];
  if (!withScripts) flags.push('--ignore-scripts');
  say(`npm ${flags.slice(1).join(' ')} ${pkg}@${VERSION}`);
  return run(npm, [...flags, `${pkg}@${VERSION}`], { cwd: prefix, shell: process.platform === 'win32' });
}

/** Whether the libtensorflow archive that tfjs-node's install script fetches is reachable (HEAD, 8 s). */
async function downloadReachable() {
  const host = process.env.TFJS_NODE_CDN_STORAGE || process.env.CDN_STORAGE || 'https://storage.googleapis.com/';
  const base = process.env.TFJS_NODE_BASE_URI || `${host}tensorflow/libtensorflow/libtensorflow-`;
  const arch = { x64: 'x86_64', arm64: 'arm64' }[os.arch()] ?? os.arch();
  const url = `${base}${gpu ? 'gpu' : 'cpu'}-${process.platform}-${arch}-${LIBTF_VERSION}.tar.gz`;
  try {
    const r = await fetch(url, { method: 'HEAD', signal: AbortSignal.timeout(8000) });
    return { ok: r.ok, url, why: r.ok ? '' : `HTTP ${r.status}` };
  } catch (err) {
    return { ok: false, url, why: err.cause?.code ?? err.message };
  }
}

/** $TF_WHEEL, else the newest TensorFlow wheel with libtensorflow_cc in the usual wheel folders. */
function findWheel() {
  if (process.env.TF_WHEEL) {
    if (!fs.existsSync(process.env.TF_WHEEL)) fail(`TF_WHEEL=${process.env.TF_WHEEL} does not exist.`);
    return process.env.TF_WHEEL;
  }
  const dirs = [
    ...(process.env.PIP_FIND_LINKS ?? '').split(/[\s,]+/).filter(Boolean),
    '/opt/pypi',
    '/opt/wheels',
    '/opt',
    '/srv',
    '/wheels',
    path.join(os.homedir(), 'Downloads'),
    path.join(os.homedir(), '.cache', 'pip'),
    path.join(os.homedir(), 'wheels'),
    root,
  ];
  const pattern = /^tensorflow(_cpu)?-(\d+)\.(\d+)\.(\d+)-cp\d+-cp\d+m?-manylinux[\w.]*_x86_64\.whl$/;
  const found = [];
  const walk = (dir, depth) => {
    let entries;
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const full = path.join(dir, e.name);
      const m = pattern.exec(e.name);
      if (m && e.isFile()) found.push({ full, cpu: m[1] ? 1 : 0, v: [Number(m[2]), Number(m[3]), Number(m[4])] });
      else if (e.isDirectory() && depth > 0 && !e.name.startsWith('.') && e.name !== 'node_modules') {
        walk(full, depth - 1);
      }
    }
  };
  for (const d of new Set(dirs)) walk(d, 3);
  // Newest TensorFlow 2.x first (the binding uses the stable C API); the CPU wheel first at equal versions.
  found.sort((a, b) => b.v[0] - a.v[0] || b.v[1] - a.v[1] || b.v[2] - a.v[2] || b.cpu - a.cpu);
  return found.find((w) => w.v[0] === 2 && w.v[1] >= 9)?.full;
}

/** Extracts libtensorflow_cc/_framework and the C API headers the binding includes into tfjs-node's deps/. */
function extractWheel(wheel, deps) {
  const id = `${fs.realpathSync(wheel)} ${fs.statSync(wheel).size}`;
  const stamp = path.join(deps, '.from-wheel');
  if (!force && fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === id) return id;
  say(`extracting libtensorflow and its C headers from ${path.basename(wheel)} (~850 MB) …`);
  fs.rmSync(deps, { recursive: true, force: true });
  fs.mkdirSync(path.join(deps, 'lib'), { recursive: true });
  // A wheel is a zip; Python's zipfile streams it (python3 is needed by node-gyp anyway).
  const py = `
import os, re, shutil, sys, zipfile
whl, deps = sys.argv[1], sys.argv[2]
libs = {"tensorflow/libtensorflow_cc.so.2", "tensorflow/libtensorflow_framework.so.2"}
hdr = re.compile(r"^tensorflow/include/(tensorflow/c/.*\\.h|tensorflow/core/platform/ctstring(_internal)?\\.h|"
                 r"tsl/platform/ctstring(_internal)?\\.h|xla/tsl/c/.*\\.h|xla/c/.*\\.h)$")
got = set()
with zipfile.ZipFile(whl) as z:
    for info in z.infolist():
        n = info.filename
        if n in libs:
            dst = os.path.join(deps, "lib", os.path.basename(n)); got.add(n)
        else:
            m = hdr.match(n)
            if not m: continue
            dst = os.path.join(deps, "include", m.group(1))
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        with z.open(info) as src, open(dst, "wb") as out: shutil.copyfileobj(src, out, 16 << 20)
if libs - got: sys.exit("the wheel lacks " + ", ".join(sorted(libs - got)))
if not os.path.exists(os.path.join(deps, "include", "tensorflow", "c", "eager", "c_api.h")):
    sys.exit("the wheel lacks the TensorFlow C API headers (tensorflow/c/eager/c_api.h)")
`;
  const python = process.env.PYTHON || 'python3';
  if (!run(python, ['-c', py, wheel, deps])) {
    fs.rmSync(deps, { recursive: true, force: true });
    fail(
      `could not extract libtensorflow from ${wheel}.`,
      'Point TF_WHEEL= at a tensorflow or tensorflow_cpu 2.x wheel.',
    );
  }
  const lib = path.join(deps, 'lib');
  for (const f of fs.readdirSync(lib)) fs.chmodSync(path.join(lib, f), 0o755);
  // binding.gyp links -ltensorflow -ltensorflow_framework (the C API lives in libtensorflow_cc.so.2); the 2.9.1 names
  // are what tfjs-node's install script checks, so a later `npm rebuild` keeps deps/ instead of downloading again.
  const links = {
    'libtensorflow.so': 'libtensorflow_cc.so.2',
    'libtensorflow_framework.so': 'libtensorflow_framework.so.2',
    [`libtensorflow.so.${LIBTF_VERSION}`]: 'libtensorflow_cc.so.2',
    [`libtensorflow_framework.so.${LIBTF_VERSION}`]: 'libtensorflow_framework.so.2',
  };
  for (const [name, target] of Object.entries(links)) {
    fs.rmSync(path.join(lib, name), { force: true });
    fs.symlinkSync(target, path.join(lib, name));
  }
  fs.writeFileSync(stamp, id);
  return id;
}

/** npm's bundled node-gyp (works offline), or $npm_config_node_gyp. */
function findNodeGyp() {
  const candidates = [
    process.env.npm_config_node_gyp,
    path.join(
      path.dirname(process.execPath),
      '..',
      'lib',
      'node_modules',
      'npm',
      'node_modules',
      'node-gyp',
      'bin',
      'node-gyp.js',
    ),
    '/usr/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js',
    '/usr/local/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js',
    '/usr/share/nodejs/node-gyp/bin/node-gyp.js',
  ];
  return candidates.find((c) => c && fs.existsSync(c));
}

/** A folder with include/node/node_api.h and common.gypi, so node-gyp does not download headers. */
function findNodeDir() {
  const v = process.versions.node;
  const candidates = [
    process.env.NODEDIR,
    path.resolve(path.dirname(process.execPath), '..'),
    '/usr',
    '/usr/local',
    path.join(os.homedir(), '.cache', 'node-gyp', v),
  ];
  return candidates.find(
    (d) =>
      d &&
      fs.existsSync(path.join(d, 'include', 'node', 'node_api.h')) &&
      fs.existsSync(path.join(d, 'include', 'node', 'common.gypi')),
  );
}

function buildFromWheel(wheel) {
  if (process.platform !== 'linux' || os.arch() !== 'x64') {
    fail(
      'building from a TensorFlow wheel is supported on Linux x86_64 only.',
      'Install where libtensorflow can be downloaded.',
    );
  }
  for (const tool of ['make', 'g++']) {
    if (spawnSync(tool, ['--version'], { stdio: 'ignore' }).status !== 0) {
      fail(
        `building the tfjs-node binding needs '${tool}', which is not installed.`,
        'apt-get install -y make g++ python3',
      );
    }
  }
  const gyp = findNodeGyp();
  if (!gyp)
    fail(
      'node-gyp was not found (it normally comes with npm).',
      'npm i -g node-gyp, or set npm_config_node_gyp=/path/to/node-gyp.js',
    );
  const nodedir = findNodeDir();
  if (!nodedir) {
    fail(
      `Node's C headers (include/node/node_api.h) were not found, and node-gyp cannot download them offline.`,
      'Install them (Debian: apt-get install libnode-dev) or set NODEDIR to a folder containing include/node.',
    );
  }
  if (!fs.existsSync(path.join(pkgDir, 'binding.gyp')) && !npmInstall(false)) {
    fail(`npm could not install ${pkg}@${VERSION} from the registry.`, 'Check that the npm registry is reachable.');
  }
  const id = extractWheel(wheel, path.join(pkgDir, 'deps'));
  // Where tfjs-node's dist/index.js loads the binding from (node-pre-gyp's module_path: lib/napi-v<N>).
  const find = `console.log(require(require.resolve('@mapbox/node-pre-gyp', { paths: [process.cwd()] })).find(require('path').resolve('package.json')))`;
  const found = spawnSync(process.execPath, ['-e', find], { cwd: pkgDir, encoding: 'utf8' });
  if (found.status !== 0) fail(`could not locate the binding path of ${pkg}: ${found.stderr.trim()}`);
  const bindingPath = found.stdout.trim();
  const modulePath = path.dirname(bindingPath);
  const napi = /napi-v(\d+)$/.exec(modulePath)?.[1];
  if (!napi) fail(`unexpected binding path ${bindingPath}`);
  const stamp = path.join(modulePath, '.built-from-wheel');
  const want = `${id} node-${process.versions.node}`;
  if (force || !fs.existsSync(bindingPath) || !fs.existsSync(stamp) || fs.readFileSync(stamp, 'utf8') !== want) {
    say(`compiling the tfjs-node binding against it (node-gyp, headers from ${nodedir}; about a minute) …`);
    const jobs = String(Math.max(1, Math.min(4, os.availableParallelism())));
    const ok = run(
      process.execPath,
      [
        gyp,
        'rebuild',
        '--release',
        '--loglevel=warn',
        `--jobs=${jobs}`,
        `--nodedir=${nodedir}`,
        '--module_name=tfjs_binding',
        `--module_path=${modulePath}`,
        `--napi_build_version=${napi}`,
      ],
      { cwd: pkgDir },
    );
    if (!ok) fail('node-gyp could not compile the tfjs-node binding (its output is above).');
    const built = path.join(pkgDir, 'build', 'Release', 'tfjs_binding.node');
    fs.mkdirSync(modulePath, { recursive: true });
    if (fs.existsSync(built) && path.resolve(built) !== path.resolve(bindingPath)) fs.copyFileSync(built, bindingPath);
    fs.writeFileSync(stamp, want);
  }
  report(`built from ${path.basename(wheel)}`);
}

async function main() {
  if (args.has('--check')) {
    if (!fs.existsSync(pkgDir))
      fail(`${pkg} is not installed in ${prefix}.`, `Run pnpm tensorflow:install${gpu ? ' --gpu' : ''}.`);
    report('check');
    return;
  }
  if (!force && fs.existsSync(pkgDir) && smokeTest().ok) {
    report('already installed');
    return;
  }
  const probe = offline
    ? { ok: false, url: 'the download', why: process.env.TF_WHEEL ? 'TF_WHEEL is set' : '--offline' }
    : await downloadReachable();
  if (probe.ok) {
    say(`libtensorflow can be downloaded (${probe.url}): normal install.`);
    if (force) fs.rmSync(pkgDir, { recursive: true, force: true });
    if (npmInstall(true)) {
      report('downloaded');
      return;
    }
    if (gpu) fail(`the normal install of ${pkg} failed (its output is above).`);
    say('the normal install failed; trying a local TensorFlow wheel instead.');
  } else if (offline) {
    say(`no download (${probe.why}): building from a local TensorFlow wheel.`);
  } else {
    say(`libtensorflow cannot be downloaded from ${probe.url} (${probe.why}).`);
  }
  if (gpu) {
    fail(
      `${pkg} needs the CUDA build of libtensorflow ${LIBTF_VERSION}, which is only available as a download.`,
      'Run it where storage.googleapis.com is reachable (or set TFJS_NODE_CDN_STORAGE to a mirror).',
    );
  }
  const wheel = findWheel();
  if (!wheel) {
    fail(
      'libtensorflow can neither be downloaded nor found in a local TensorFlow wheel, so the tensorflow backend cannot be installed.',
      'Set TF_WHEEL=/path/to/tensorflow_cpu-2.x-…-manylinux…_x86_64.whl (pip download tensorflow-cpu), or use --backend wasm.',
    );
  }
  say(`using the TensorFlow wheel ${wheel}`);
  buildFromWheel(wheel);
}

await main();
