#!/usr/bin/env node
// Node 20's test runner does not expand globs or find .ts files, so list them here and hand them to `node --test`.
// Usage: node scripts/run-tests.mjs [dir-or-file ...]   (default: every package's test/ and the root test/)
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const roots = process.argv.slice(2);
const defaults = ['test', ...readdirSync('packages').map((p) => path.join('packages', p, 'test'))];
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
const r = spawnSync(process.execPath, args, { stdio: 'inherit' });
process.exit(r.status ?? 1);
