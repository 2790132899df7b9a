import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli } from './helpers/cli.ts';

test('tripletkit --help lists the commands and exits 0', async () => {
  const r = await runCli(['--help']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /tripletkit <command>/);
});

test('no command: a readable error and a non-zero exit', async () => {
  const r = await runCli([]);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /Give a command/);
});

test('an unknown command is named, with a suggestion, and exits non-zero', async () => {
  const r = await runCli(['laod']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /Unknown command "laod"\. Did you mean load\?/);
});
