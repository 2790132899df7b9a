/**
 * Issue 9, item 5: temporary outputs carry their owner's pid and the next write into the same folder removes those
 * whose owner is gone (kill -9); SIGTERM and SIGHUP clean up like Ctrl-C; `train` checkpoints the partial epoch on
 * SIGTERM and resumes from it.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { Int32 } from 'apache-arrow';
import { field, int32Data, recordBatch, schemaOf, tempPathFor, writeArrow } from '../../packages/common/src/index.ts';
import { quadrant, tmp, writeTree } from '../../packages/loader/test/fixtures.ts';
import { mnistDigits, writeDigits } from '../../packages/trainer/test/helpers/mnistImages.ts';
import { leftovers, spawnCli, waitFor } from '../helpers/spawnCli.ts';

function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(r.stdout.toString());
}

test('the next write into a folder removes temp files whose owner is gone, and keeps live ones', async () => {
  const dir = await tmp();
  const target = path.join(dir, 'x.arrow');
  const stale = tempPathFor(target).replace(`-${process.pid}-`, `-${deadPid()}-`);
  const live = tempPathFor(path.join(dir, 'y.arrow')); // ours: still running
  await fs.writeFile(stale, 'half-written');
  await fs.writeFile(live, 'being written');
  const schema = schemaOf([field('a', new Int32())]);
  await writeArrow(path.join(dir, 'other.arrow'), schema, [recordBatch(schema, [int32Data(Int32Array.of(1))])]);
  const names = await fs.readdir(dir);
  assert.ok(!names.includes(path.basename(stale)), 'the dead owner’s temp file is gone');
  assert.ok(names.includes(path.basename(live)), 'a running owner’s temp file is kept');
});

for (const sig of ['SIGTERM', 'SIGHUP'] as const) {
  test(`load: ${sig} mid-run exits ${sig === 'SIGTERM' ? 143 : 129}, no output and no temp file`, async () => {
    const dir = await tmp();
    const png = await quadrant(600, 600).png().toBuffer();
    const files: Record<string, Buffer> = {};
    for (let i = 0; i < 150; i++) files[`in/${i % 2 ? 'a' : 'b'}/${i}.png`] = png;
    await writeTree(dir, files);
    const out = path.join(dir, 'o.arrow');
    const run = spawnCli(['load', path.join(dir, 'in'), '--size', '200', '--concurrency', '1', '-o', out]);
    const started = await waitFor(async () => (await leftovers(dir)).length > 0, 60_000);
    run.child.kill(sig);
    const r = await run.done;
    assert.ok(started, `a temp file appeared while loading (${r.stderr})`);
    assert.equal(r.code, sig === 'SIGTERM' ? 143 : 129, r.stderr);
    assert.deepEqual(await leftovers(dir), []);
    await assert.rejects(fs.stat(out));
  });
}

test('train: SIGTERM checkpoints the partial epoch, --resume continues from it', async () => {
  const dir = await tmp();
  const images = path.join(dir, 'train.arrow');
  await writeDigits(images, mnistDigits(0, 600));
  const out = path.join(dir, 'run');
  const args = ['train', '--images', images, '--mining', 'semi-hard', '-o', out, '--p', '8', '--k', '4'];
  args.push('--epochs', '3', '--workers', '1');
  const run = spawnCli(args);
  const log = path.join(out, 'train.jsonl');
  await waitFor(async () => (await fs.readFile(log, 'utf8').catch(() => '')).includes('"step":2,'), 240_000);
  run.child.kill('SIGTERM');
  const r = await run.done;
  assert.equal(r.code, 143, r.stderr);
  assert.match(r.stderr, /received SIGTERM, finishing cleanly/);
  assert.match(r.stderr, /Training interrupted in epoch 1 at batch \d+; checkpoint saved/);
  const state = JSON.parse(await fs.readFile(path.join(out, 'checkpoint', 'state.json'), 'utf8'));
  assert.equal(state.epoch, 0);
  assert.ok(state.step >= 2, `partial epoch saved (step ${state.step})`);
  assert.deepEqual(await leftovers(dir), []);
  const resumed = spawnCli([...args.slice(0, -4), '--epochs', '1', '--workers', '1', '--resume']);
  const rr = await resumed.done;
  assert.equal(rr.code, 0, rr.stderr);
  assert.match(rr.stderr, new RegExp(`resuming from .* at epoch 1, batch ${state.step}`));
});
