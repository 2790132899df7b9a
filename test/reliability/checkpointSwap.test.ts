/**
 * Issue 9, item 6: a checkpoint is replaced with one atomic rename (generation folders + a symbolic link), and
 * --resume finds the newest complete checkpoint even when the link is missing (a kill between the two steps).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { tmp } from '../../packages/loader/test/fixtures.ts';
import { train } from '../../packages/trainer/src/index.ts';
import { mnistDigits, writeDigits } from '../../packages/trainer/test/helpers/mnistImages.ts';

test('checkpoint is a link to a complete generation; --resume finds the newest without the link', async () => {
  const dir = await tmp();
  const images = path.join(dir, 'train.arrow');
  await writeDigits(images, mnistDigits(0, 80));
  const out = path.join(dir, 'run');
  const base = { images, out, mining: 'semi-hard' as const, stepsPerEpoch: 1, p: 4, k: 4, workers: 1 };
  await train({ ...base, epochs: 2 });
  const link = path.join(out, 'checkpoint');
  assert.ok((await fs.lstat(link)).isSymbolicLink());
  const state = JSON.parse(await fs.readFile(path.join(link, 'state.json'), 'utf8'));
  assert.equal(state.epoch, 2);
  // A kill after the new generation got its name but before the link moved: the link is gone or stale.
  await fs.rm(link);
  const logs: string[] = [];
  const r = await train({ ...base, epochs: 3, resume: true, log: (l) => logs.push(l) });
  assert.equal(r.epochs.length, 1, 'only epoch 3 ran');
  assert.ok(
    logs.some((l) => /resuming from .* at epoch 3, batch 0/.test(l)),
    logs.join('\n'),
  );
  const gens = (await fs.readdir(path.join(out, 'checkpoints'))).sort();
  assert.deepEqual(gens.length, 2, `the newest two generations are kept: ${gens}`);
  assert.deepEqual(
    (await fs.readdir(out)).filter((f) => f.includes('.tmp-')),
    [],
  );
});
