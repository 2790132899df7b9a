#!/usr/bin/env node
// Thin launcher: the compiled CLI lives in dist/ (built by `pnpm install`'s postinstall step).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write(
    'tripletkit is not built: @tripletkit/cli has no dist/ (a source checkout needs `pnpm install` at its root).\n',
  );
  process.exit(1);
}
await import(entry.href);
