#!/usr/bin/env node
// Node 20's test runner does not expand globs or find .ts files, so list them here and hand them to `node --test`.
// Usage: node scripts/run-tests.mjs [dir-or-file ...]   (default: every package's test/ and the root test/)
// Paths are relative to the current folder, so a package's `pnpm test` (run in its own folder) passes `test`; the
// defaults are found from this script's location, whatever the current folder.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const roots = process.argv.slice(2).map((r) => path.resolve(r));
const packages = path.join(repo, 'packages');
const defaults = [path.join(repo, 'test'), ...readdirSync(packages).map((p) => path.join(packages, p, 'test'))];
const files = [];
for (const root of roots.length ? roots : defaults) {
  if (!existsSync(root)) continue;
  if (statSync(root).isFile()) {
    files.push(root);
    continue;
  }
  for (const f of readdirSync(root, { recursive: true })) {
    if (String(f).endsWith('.test.ts')) files.push(path.join(root, String(f)));
  }
}
if (files.length === 0) {
  console.error('run-tests: no test files found');
  process.exit(1);
}
files.sort();
const args = ['--conditions=source', '--import', 'tsx', '--test', '--test-concurrency=2', ...files];
// From the repository root, where tsx and the workspace links resolve; file names shown relative to it.
const r = spawnSync(
  process.execPath,
  args.map((f) => (path.isAbsolute(f) ? path.relative(repo, f) : f)),
  {
    cwd: repo,
    stdio: 'inherit',
  },
);
process.exit(r.status ?? 1);
