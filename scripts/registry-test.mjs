#!/usr/bin/env node
// The packages as a user gets them from a registry: starts verdaccio on 127.0.0.1 (uplink: `npm config get registry`,
// so third-party dependencies resolve), publishes every package, then
//   (a) `npm i -g tripletkit` into a temporary prefix and runs load, train --epochs 1, embed, mine, eval and
//       demo --quick, comparing every output byte for byte with the repository's CLI on the same input;
//   (b) `npm i @tripletkit/miner apache-arrow@18` in an empty project with no C compiler on PATH and mines from a plain
//       .mjs: kernelInfo() must be native (the prebuilt binary), the triplets file identical to the repository's.
// The registry it started is always stopped. Verdaccio 6.8.0 (the last for Node 20; node-fetch pinned to 2.7.0) is
// installed once into .cache/registry-test/ (ignored by git). Prints versions and timings; exit 0 only if all passed.
// Usage: node scripts/registry-test.mjs [--keep]   (--keep leaves the temporary folder for inspection)
import { spawn, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateImages } from './registry-test/images.mjs';
import { projectScript } from './registry-test/project.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cache = path.join(repo, '.cache', 'registry-test');
const VERDACCIO = '6.8.0';
const started = performance.now();
const work = mkdtempSync(path.join(os.tmpdir(), 'tripletkit-registry-'));
const timings = [];

function log(line) {
  console.log(`registry-test: ${line}`);
}

/** Runs a command, throwing with its output when it fails; returns stdout. */
function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, ...opts });
  if (r.status !== 0) {
    const out = `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? r.error.message : ''}`.trim().split('\n');
    throw new Error(`${[cmd, ...args].join(' ')} failed (${r.status}):\n${out.slice(-30).join('\n')}`);
  }
  return r.stdout;
}

function timed(label, fn) {
  const t0 = performance.now();
  const result = fn();
  const s = (performance.now() - t0) / 1000;
  timings.push([label, s]);
  log(`${label}: ${s.toFixed(1)} s`);
  return result;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

// The machine's configured registry is the uplink (npm always has one configured; its built-in default included).
const upstream = run('npm', ['config', 'get', 'registry']).trim();
if (!upstream) throw new Error('`npm config get registry` printed nothing: configure the npm registry first.');

function installVerdaccio() {
  const bin = path.join(cache, 'node_modules', 'verdaccio', 'bin', 'verdaccio');
  const installed = path.join(cache, 'node_modules', 'verdaccio', 'package.json');
  if (existsSync(installed) && JSON.parse(readFileSync(installed, 'utf8')).version === VERDACCIO) return bin;
  mkdirSync(cache, { recursive: true });
  const manifest = {
    name: 'tripletkit-registry-test-cache',
    private: true,
    dependencies: { verdaccio: VERDACCIO },
    // verdaccio 6.8 asks for node-fetch ^2 at a version whose whatwg-url needs a newer Node; 2.7.0 works on Node 20.
    overrides: { 'node-fetch': '2.7.0' },
  };
  writeFileSync(path.join(cache, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  run('npm', ['install', '--no-audit', '--no-fund', '--registry', upstream], { cwd: cache });
  return bin;
}

function writeConfig(dir) {
  const own = '    access: $all\n    publish: $authenticated\n    unpublish: $authenticated\n';
  const config = [
    `storage: ${path.join(dir, 'storage')}`,
    `auth:\n  htpasswd:\n    file: ${path.join(dir, 'htpasswd')}\n    max_users: 10`,
    `uplinks:\n  upstream:\n    url: ${upstream}\n    timeout: 120s\n    maxage: 30m`,
    // Our packages never come from the uplink: the test must install what it published.
    `packages:\n  '@tripletkit/*':\n${own}  'tripletkit':\n${own}  '**':\n    access: $all\n    proxy: upstream`,
    'log: { type: stdout, format: pretty, level: error }',
    '',
  ].join('\n');
  const file = path.join(dir, 'config.yaml');
  writeFileSync(file, config);
  return file;
}

async function waitFor(url, ms) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the registry did not answer ${url} within ${ms / 1000} s`);
}

async function addUser(registry) {
  const r = await fetch(`${registry}-/user/org.couchdb.user:tripletkit`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'tripletkit', password: 'registry-test', type: 'user', roles: [] }),
  });
  const body = await r.json();
  if (!body.token) throw new Error(`could not create a registry user: ${JSON.stringify(body)}`);
  return body.token;
}

/** Files under `dir` (relative, sorted), skipping what holds timings. */
function outputs(dir, skip) {
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => !skip.test(f) && existsSync(path.join(dir, f)) && !readdirSafe(path.join(dir, f)))
    .sort();
}

function readdirSafe(p) {
  try {
    readdirSync(p);
    return true;
  } catch {
    return false;
  }
}

/** The demo's metrics.json without its wall-clock fields. */
function metricsWithoutTime(file) {
  return JSON.stringify(JSON.parse(readFileSync(file, 'utf8')), (k, v) => (k === 'seconds' ? undefined : v));
}

function compareTrees(a, b, skip, label) {
  const files = outputs(a, skip);
  const other = outputs(b, skip);
  if (files.join('\n') !== other.join('\n')) throw new Error(`${label}: different files:\n${files}\nvs\n${other}`);
  for (const f of files) {
    const [x, y] = [path.join(a, f), path.join(b, f)];
    const same = f.endsWith('metrics.json')
      ? metricsWithoutTime(x) === metricsWithoutTime(y)
      : readFileSync(x).equals(readFileSync(y));
    if (!same) throw new Error(`${label}: ${f} differs between the installed package and the repository`);
  }
  return files.length;
}

/** The CLI pipeline on imgs/ in `dir`, with the given tripletkit command. */
function pipeline(cli, dir, env) {
  const tk = (...args) => run(cli[0], [...cli.slice(1), ...args], { cwd: dir, env });
  tk('load', 'imgs', '-o', 'images.arrow', '--size', '12', '--channels', '1');
  tk('train', '--images', 'images.arrow', '--mining', 'semi-hard', '--epochs', '1', '-o', 'run');
  tk('embed', '--model', 'run', '--images', 'images.arrow', '-o', 'emb.arrow');
  tk('mine', '-e', 'emb.arrow', '-s', 'semi-hard', '--margin', '0.5', '-o', 'triplets.arrow');
  writeFileSync(path.join(dir, 'eval.json'), tk('eval', '-e', 'emb.arrow', '--json'));
  tk('demo', '--quick', '-o', 'demo');
}

let registryProcess;
function stopRegistry() {
  if (registryProcess && registryProcess.exitCode === null) registryProcess.kill('SIGTERM');
}
process.on('exit', stopRegistry);
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    stopRegistry();
    process.exit(130);
  });
}

try {
  const verdaccio = timed(`verdaccio ${VERDACCIO} ready in .cache/registry-test`, installVerdaccio);
  const port = await freePort();
  const registry = `http://127.0.0.1:${port}/`;
  const regDir = path.join(work, 'registry');
  mkdirSync(regDir);
  const config = writeConfig(regDir);
  registryProcess = spawn(process.execPath, [verdaccio, '--config', config, '--listen', `127.0.0.1:${port}`], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, NODE_NO_WARNINGS: '1' },
  });
  await waitFor(`${registry}-/ping`, 60_000);
  const token = await addUser(registry);
  const npmrc = path.join(work, '.npmrc');
  writeFileSync(npmrc, `registry=${registry}\n//127.0.0.1:${port}/:_authToken=${token}\n`);
  const env = {
    ...process.env,
    npm_config_userconfig: npmrc,
    npm_config_registry: registry,
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
  };
  for (const k of Object.keys(env)) if (/^npm_(package|lifecycle)_/.test(k) || k === 'npm_execpath') delete env[k];
  log(`registry ${registry} (uplink ${upstream})`);

  const tarballs = path.join(work, 'tarballs');
  timed('pack every package (pnpm pack:all)', () =>
    run(process.execPath, [path.join(repo, 'scripts', 'pack-all.mjs'), tarballs], { cwd: repo }),
  );
  const packed = readdirSync(tarballs).filter((f) => f.endsWith('.tgz'));
  timed(`publish ${packed.length} packages`, () => {
    for (const t of packed) run('npm', ['publish', path.join(tarballs, t), '--registry', registry], { env });
  });

  // (a) npm i -g tripletkit, then the CLI pipeline next to the repository's own CLI.
  const prefix = path.join(work, 'global');
  timed('npm i -g tripletkit', () => run('npm', ['install', '-g', 'tripletkit', '--prefix', prefix], { env }));
  const installed = [path.join(prefix, 'bin', 'tripletkit')];
  const version = run(installed[0], ['--version'], { env }).trim();
  // Both runs happen in the same folder (files record the paths they were made from), then are moved aside.
  const here = path.join(work, 'run');
  const a = path.join(work, 'installed');
  const b = path.join(work, 'repository');
  await generateImages(path.join(work, 'imgs'));
  const cliEnv = { ...env, CI: 'true' };
  const repoCli = [process.execPath, path.join(repo, 'packages', 'cli', 'bin', 'tripletkit.js')];
  for (const [cli, dest, label] of [
    [installed, a, 'installed tripletkit: load, train, embed, mine, eval, demo --quick'],
    [repoCli, b, 'repository tripletkit: the same'],
  ]) {
    cpSync(path.join(work, 'imgs'), path.join(here, 'imgs'), { recursive: true });
    timed(label, () => pipeline(cli, here, cliEnv));
    renameSync(here, dest);
  }
  const compared = compareTrees(a, b, /train\.jsonl$|\.png$|\.html$|^imgs/, 'npm i -g tripletkit');
  log(`(a) tripletkit ${version} from the registry: ${compared} output files identical to the repository's`);

  // (b) The miner alone in a user project with another apache-arrow major and no compiler on PATH.
  const project = path.join(work, 'project');
  mkdirSync(project);
  writeFileSync(path.join(project, 'package.json'), '{ "name": "user-project", "private": true, "type": "module" }\n');
  const bare = path.join(work, 'bare-bin');
  mkdirSync(bare);
  const npmCli = path.resolve(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js');
  writeFileSync(path.join(bare, 'npm'), `#!/bin/sh\nexec "${process.execPath}" "${npmCli}" "$@"\n`, { mode: 0o755 });
  writeFileSync(path.join(bare, 'node'), `#!/bin/sh\nexec "${process.execPath}" "$@"\n`, { mode: 0o755 });
  // npm runs package scripts with sh; nothing else (no cc, gcc, clang, make) is on this PATH.
  symlinkSync('/bin/sh', path.join(bare, 'sh'));
  const bareEnv = { ...env, PATH: bare, CC: path.join(bare, 'no-compiler') };
  for (const cc of ['cc', 'gcc', 'clang']) {
    if (spawnSync(cc, ['--version'], { env: bareEnv }).status === 0) throw new Error(`${cc} is still on PATH`);
  }
  timed('npm i @tripletkit/miner apache-arrow@18 (no compiler on PATH)', () =>
    run(path.join(bare, 'npm'), ['install', '@tripletkit/miner', 'apache-arrow@18'], { cwd: project, env: bareEnv }),
  );
  writeFileSync(path.join(project, 'mine.mjs'), projectScript);
  cpSync(path.join(a, 'emb.arrow'), path.join(project, 'emb.arrow'));
  const result = JSON.parse(run(path.join(bare, 'node'), ['mine.mjs'], { cwd: project, env: bareEnv }));
  const hostCompiler = spawnSync('cc', ['--version'], { stdio: 'ignore' }).status === 0;
  const shipped = existsSync(path.join(project, 'node_modules', '@tripletkit', 'miner', 'prebuilds'));
  if (!shipped && !hostCompiler) {
    // Packed on a machine without a C compiler: no prebuilt binary could be made, so the fallback line is checked.
    if (!/npm rebuild @tripletkit\/miner/.test(result.kernel.fallbackReason ?? '')) {
      throw new Error(`no prebuilt binary and no advice: ${JSON.stringify(result.kernel)}`);
    }
    log('(b) native kernel not checked: this machine has no C compiler, so the tarball has no prebuilt binary');
  } else if (!result.kernel.kernel.startsWith('native-')) {
    throw new Error(`kernelInfo() in the user project is ${JSON.stringify(result.kernel)}, not native`);
  }
  const repoTriplets = readFileSync(path.join(a, 'triplets.arrow'));
  if (!readFileSync(path.join(project, 'triplets.arrow')).equals(repoTriplets)) {
    throw new Error('the user project mined other triplets than the repository');
  }
  log(
    `(b) @tripletkit/miner with apache-arrow ${result.arrow}, no compiler: kernel ${result.kernel.kernel}, ` +
      `${result.triplets} triplets identical to the repository's; in-memory mine() ${result.inMemory} triplets`,
  );
  // (c) The second path: without the prebuilt binary the kernel is compiled from source by the package's install
  // script (`npm rebuild` runs it) where a C compiler exists.
  const minerDir = path.join(project, 'node_modules', '@tripletkit', 'miner');
  if (spawnSync('cc', ['--version'], { stdio: 'ignore' }).status === 0) {
    rmSync(path.join(minerDir, 'prebuilds'), { recursive: true, force: true });
    const out = timed('npm rebuild @tripletkit/miner (compile from source)', () =>
      run('npm', ['rebuild', '@tripletkit/miner', '--foreground-scripts'], { cwd: project, env }),
    );
    if (/Node headers \(node_api\.h\) not found/.test(out)) log('(c) this Node has no headers to compile against');
    const probe = "import('@tripletkit/miner').then((m) => console.log(JSON.stringify(m.kernelInfo())))";
    const compiled = JSON.parse(run(process.execPath, ['-e', probe], { cwd: project, env }));
    const headers = !/Node headers \(node_api\.h\) not found/.test(out);
    if (headers && (!compiled.kernel.startsWith('native-') || !existsSync(path.join(minerDir, 'native', 'build')))) {
      throw new Error(`after npm rebuild the kernel is ${JSON.stringify(compiled)}`);
    }
    log(`(c) without the prebuilt binary, npm rebuild compiled it: kernel ${compiled.kernel}`);
  } else {
    log('(c) skipped: no C compiler here to compile from source');
  }
  const npmVersion = run('npm', ['--version']).trim();
  log(`node ${process.versions.node}, npm ${npmVersion}, verdaccio ${VERDACCIO}, tripletkit ${version}`);
  log(`passed in ${((performance.now() - started) / 1000).toFixed(0)} s`);
} catch (err) {
  console.error(`registry-test: FAILED: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
} finally {
  stopRegistry();
  if (!process.argv.includes('--keep')) rmSync(work, { recursive: true, force: true });
  else log(`kept ${work}`);
}
