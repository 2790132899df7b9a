#!/usr/bin/env node
// `pnpm pack:all [folder]`: every publishable package's tarball in one folder (default tarballs/), as `pnpm publish -r`
// would publish them: workspace:* rewritten to the version, dist built and the native addons prebuilt for this
// platform by each package's prepack script. Install them with `npm i ./tarballs/*.tgz` (or `npm i -g`).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dest = path.resolve(process.argv[2] ?? path.join(repo, 'tarballs'));

/** How to run pnpm: the one running this script (npm_execpath), else the pinned version through npx. */
export function pnpmCommand() {
  const exec = process.env.npm_execpath;
  if (exec && /pnpm/.test(exec)) return /\.(c?js|mjs)$/.test(exec) ? [process.execPath, exec] : [exec];
  const pinned = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')).packageManager;
  return ['npx', '-y', pinned];
}

/** Publishable package folders (not private), dependencies first. */
export function publishable() {
  const order = ['common', 'miner', 'loader', 'trainer', 'demo', 'cli', 'tripletkit'];
  const dirs = readdirSync(path.join(repo, 'packages')).filter((d) => {
    const pkg = JSON.parse(readFileSync(path.join(repo, 'packages', d, 'package.json'), 'utf8'));
    return !pkg.private;
  });
  return dirs.sort((a, b) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  rmSync(dest, { recursive: true, force: true });
  mkdirSync(dest, { recursive: true });
  const [cmd, ...pre] = pnpmCommand();
  for (const dir of publishable()) {
    const cwd = path.join(repo, 'packages', dir);
    const r = spawnSync(cmd, [...pre, 'pack', '--pack-destination', dest], { cwd, encoding: 'utf8' });
    if (r.status !== 0) {
      process.stderr.write(`pack-all: packing packages/${dir} failed\n${r.stdout}${r.stderr}`);
      process.exit(1);
    }
    const notes = `${r.stdout}`.split('\n').filter((l) => /tripletkit .*: (built|skipped|using)|\.tgz$/.test(l));
    for (const l of notes) console.log(`${dir}: ${l.trim()}`);
  }
  console.log(`tarballs in ${path.relative(process.cwd(), dest) || '.'}: ${readdirSync(dest).join(' ')}`);
}
