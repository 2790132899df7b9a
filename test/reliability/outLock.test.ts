/**
 * Issue 9, item 8: an advisory lock on `train --out`. A second run on a folder in use fails at once with a clear
 * message (and leaves the first run's files alone); a lock left by a dead process is taken over.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { isTripletkitError, lockFolder } from '../../packages/common/src/index.ts';
import { tmp } from '../../packages/loader/test/fixtures.ts';
import { train } from '../../packages/trainer/src/index.ts';
import { mnistDigits, writeDigits } from '../../packages/trainer/test/helpers/mnistImages.ts';

test('a second train on the same --out fails clearly; a dead owner’s lock is taken over', async () => {
  const dir = await tmp();
  const images = path.join(dir, 'train.arrow');
  await writeDigits(images, mnistDigits(0, 64));
  const out = path.join(dir, 'run');
  const opts = { images, out, mining: 'semi-hard' as const, epochs: 1, stepsPerEpoch: 1, p: 4, k: 4, workers: 1 };

  const release = await lockFolder(out, '--out folder', 'tripletkit train'); // "another run", alive
  await assert.rejects(
    train(opts),
    (e: unknown) =>
      isTripletkitError(e, 'E_LOCKED') &&
      /The --out folder .*run is in use by another tripletkit train \(pid \d+/.test((e as Error).message),
  );
  await assert.rejects(fs.stat(path.join(out, 'train.jsonl')), 'the refused run wrote nothing');
  await release();

  const dead = Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout);
  const lock = { pid: dead, host: os.hostname(), started: new Date().toISOString(), command: 'tripletkit train' };
  await fs.writeFile(path.join(out, '.tripletkit.lock'), JSON.stringify(lock));
  const r = await train(opts);
  assert.equal(r.epochs.length, 1);
  await assert.rejects(fs.stat(path.join(out, '.tripletkit.lock')), 'released after the run');
  for (const line of (await fs.readFile(path.join(out, 'train.jsonl'), 'utf8')).trim().split('\n')) JSON.parse(line);
});
