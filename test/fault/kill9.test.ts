/**
 * Fault injection: kill -9 at a seeded random moment of load and train, then run again (load) or --resume (train):
 * the rerun succeeds, the output is complete, and no temp file or lock is left behind.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { Rng } from '../../packages/common/src/index.ts';
import { openImages } from '../../packages/loader/src/index.ts';
import { quadrant, tmp, writeTree } from '../../packages/loader/test/fixtures.ts';
import { mnistDigits, writeDigits } from '../../packages/trainer/test/helpers/mnistImages.ts';
import { runCli } from '../helpers/cli.ts';
import { leftovers, spawnCli, waitFor } from '../helpers/spawnCli.ts';

const rng = new Rng(2024);

test('load: kill -9 while writing, then the rerun writes the whole file and removes the dead run’s temp', async () => {
  const dir = await tmp();
  const png = await quadrant(500, 500).png().toBuffer();
  const files: Record<string, Buffer> = {};
  for (let i = 0; i < 120; i++) files[`in/${i % 3}/${i}.png`] = png;
  await writeTree(dir, files);
  const out = path.join(dir, 'o.arrow');
  const args = ['load', path.join(dir, 'in'), '--size', '160', '--concurrency', '1', '--batch-rows', '8', '-o', out];
  const run = spawnCli(args);
  await waitFor(async () => (await leftovers(dir)).length > 0, 120_000);
  await new Promise((r) => setTimeout(r, rng.int(300)));
  run.child.kill('SIGKILL');
  await run.done;
  const r = await runCli(args);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(await leftovers(dir), []);
  const f = await openImages(out);
  assert.equal(f.numRows, 120);
  await f.close();
});

test('train: kill -9 mid-epoch, then --resume finishes from the last checkpoint with nothing left behind', async () => {
  const dir = await tmp();
  const images = path.join(dir, 'train.arrow');
  await writeDigits(images, mnistDigits(0, 160));
  const out = path.join(dir, 'run');
  const args = ['train', '--images', images, '--mining', 'semi-hard', '-o', out, '--p', '5', '--k', '4'];
  args.push('--epochs', '3', '--workers', '1');
  const run = spawnCli(args);
  const log = path.join(out, 'train.jsonl');
  const target = 1 + rng.int(3);
  await waitFor(
    async () => ((await fs.readFile(log, 'utf8').catch(() => '')).match(/"type":"epoch"/g) ?? []).length >= target,
    240_000,
  );
  run.child.kill('SIGKILL');
  await run.done;
  const r = await runCli([...args, '--resume', '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(await leftovers(dir), []);
  const state = JSON.parse(await fs.readFile(path.join(out, 'checkpoint', 'state.json'), 'utf8'));
  assert.equal(state.epoch, 3);
});
