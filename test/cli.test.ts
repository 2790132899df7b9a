import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli } from './helpers/cli.ts';

test('tripletkit --help lists the commands and exits 0', async () => {
  const r = await runCli(['--help']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /tripletkit <command>/);
});

test('tripletkit alone prints the help; options without a command are a usage error (exit 2)', async () => {
  const r = await runCli([]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /tripletkit <command>/);
  const flags = await runCli(['--json']);
  assert.equal(flags.code, 2);
  assert.match(flags.stderr, /Give a command/);
});

test('tripletkit --version prints the package version', async () => {
  const r = await runCli(['--version']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout.trim(), /^\d+\.\d+\.\d+/);
});

test('an unknown command is named, with a suggestion, and exits non-zero', async () => {
  const r = await runCli(['laod']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /Unknown command "laod"\. Did you mean load\?/);
});
