#!/usr/bin/env node
// Launcher. `tripletkit`, `--help`/`-h` and `--version`/`-V` alone are answered here, without loading the parser:
// the help is yargs' own rendering of the real command definitions, made at build time for every width
// (scripts/bundle.mjs; test/cli-startup.test.ts compares the two). Everything else runs the bundled CLI.
import { existsSync, readFileSync } from 'node:fs';

const bundle = new URL('../bundle/', import.meta.url);
const args = process.argv.slice(2);
const only = args.length === 1 ? args[0] : args.length === 0 ? '--help' : undefined;
if (only === '--version' || only === '-V') {
  const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`${version}\n`);
} else if (!(only === '--help' || only === '-h') || !fastHelp()) {
  const entry = new URL('main.js', bundle);
  if (!existsSync(entry)) {
    process.stderr.write(
      'tripletkit is not built: @tripletkit/cli has no bundle/ (a source checkout needs `pnpm install` at its root).\n',
    );
    process.exit(1);
  }
  await import(entry.href);
}

/** Prints the pre-rendered help if it matches what yargs would print here (same width, English messages). */
function fastHelp() {
  // yargs' locale guess; its English catalogue serves en*, C and POSIX alike.
  const env = process.env;
  const locale = (env.LC_ALL || env.LC_MESSAGES || env.LANG || env.LANGUAGE || 'en_US').replace(/[.:].*/, '');
  if (!/^(en([_-].*)?|C|POSIX)$/.test(locale)) return false;
  const width = Math.min(120, process.stdout.columns || 100);
  const file = new URL(`help/${width}.txt`, bundle);
  if (!existsSync(file)) return false;
  process.stdout.write(readFileSync(file));
  return true;
}
