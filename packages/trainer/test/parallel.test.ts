/**
 * Data-parallel workers: a step over 2 workers returns exactly what the trainer would get by computing each batch
 * locally and adding the results; offline batches split into parts whose summed loss is the whole batch's; and a
 * 2-worker training run resumes bit-identically.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import {
  buildEncoder,
  computeStep,
  offlineEpoch,
  onlineEpoch,
  pixelRange,
  readImageSet,
  selectBackend,
  train,
} from '../src/index.ts';
import { WorkerEngine } from '../src/parallel/workerEngine.ts';
import { splitOffline } from '../src/train/batches.ts';
import { mnistSplit } from './helpers/fixtures.ts';

let data: { dir: string; train: string; val: string };
before(async () => {
  await selectBackend('wasm');
  data = await mnistSplit(200, 50);
});

const config = {
  shape: [28, 28, 1] as [number, number, number],
  normalization: { mean: [0], std: [1] },
  margin: 0.2,
  reduction: 'nonzero-mean' as const,
  mining: 'semi-hard' as const,
};

test('2 workers = the two batches computed locally and summed', async () => {
  const set = await readImageSet(data.train);
  const model = buildEncoder('small-cnn', { inputShape: [28, 28, 1], embeddingDim: 16, seed: 11 });
  const batches = onlineEpoch(set.labels, 6, 4, 3, 0).slice(0, 2);
  const inputs = batches.map((b) => {
    const pixels = new Uint8Array(b.rows.length * 784);
    b.rows.forEach((r, i) => {
      pixels.set(pixelRange(set, r, 1), i * 784);
    });
    return { pixels, rows: b.rows.length, labels: b.labels };
  });
  const engine = await WorkerEngine.start(model, 'wasm', config, 2);
  try {
    const weights = model.weights.map((w) => w.read().dataSync() as Float32Array);
    const par = await engine.step(inputs, weights);
    const local = inputs.map((x) => computeStep(model, x, config));
    assert.equal(par.count, local[0].count + local[1].count);
    assert.equal(par.active, local[0].active + local[1].active);
    assert.ok(Math.abs(par.lossSum - (local[0].lossSum + local[1].lossSum)) < 1e-3);
    par.grads.forEach((g, v) => {
      const a = local[0].grads[v].dataSync();
      const b = local[1].grads[v].dataSync();
      for (let j = 0; j < g.length; j++) assert.equal(g[j], Math.fround(a[j] + b[j]), `weight ${v}[${j}]`);
    });
    for (const l of local) tf.dispose(l.grads);
  } finally {
    await engine.close();
  }
});

test('splitOffline: parts cover the batch triplets once, in order, with their own rows', () => {
  const t = {
    anchors: Int32Array.from({ length: 50 }, (_, i) => i % 20),
    positives: Int32Array.from({ length: 50 }, (_, i) => (i + 1) % 20),
    negatives: Int32Array.from({ length: 50 }, (_, i) => (i * 7) % 20),
    strategy: 'all',
    margin: 0.2,
  };
  const [b] = offlineEpoch(t, 50, 1, 0);
  const parts = splitOffline(b, 3);
  assert.equal(parts.length, 3);
  const back: string[] = [];
  for (const p of parts) {
    const tr = p.triplets;
    assert.ok(tr);
    assert.equal(new Set(p.rows).size, p.rows.length, 'each distinct image once per part');
    for (let i = 0; i < tr.anchors.length; i++) {
      back.push(`${p.rows[tr.anchors[i]]},${p.rows[tr.positives[i]]},${p.rows[tr.negatives[i]]}`);
    }
  }
  const bt = b.triplets;
  assert.ok(bt);
  const whole = Array.from(bt.anchors, (a, i) => `${b.rows[a]},${b.rows[bt.positives[i]]},${b.rows[bt.negatives[i]]}`);
  assert.deepEqual(back, whole);
  // Every triplet of the epoch exactly once; a different epoch is a different, reproducible order.
  const all = offlineEpoch(t, 16, 1, 0).flatMap((x) => Array.from(x.triplets?.anchors ?? [], (a) => x.rows[a]));
  assert.deepEqual(
    all.sort((p, q) => p - q),
    Array.from(t.anchors).sort((p, q) => p - q),
  );
  assert.deepEqual(offlineEpoch(t, 16, 1, 2), offlineEpoch(t, 16, 1, 2));
  assert.notDeepEqual(offlineEpoch(t, 16, 1, 2)[0].rows, offlineEpoch(t, 16, 1, 3)[0].rows);
});

test('a 2-worker run learns and resumes bit-identically', async () => {
  const common = { images: data.train, val: data.val, mining: 'batch-hard' as const, p: 6, k: 4, workers: 2, seed: 4 };
  const a = path.join(data.dir, 'par-a');
  const r = await train({ ...common, out: a, epochs: 2 });
  assert.ok(r.epochs.every((e) => Number.isFinite(e.loss)));
  const b = path.join(data.dir, 'par-b');
  await train({ ...common, out: b, epochs: 1 });
  await train({ ...common, out: b, epochs: 2, resume: true });
  const wa = await fs.readFile(path.join(a, 'checkpoint', 'model', 'weights.bin'));
  const wb = await fs.readFile(path.join(b, 'checkpoint', 'model', 'weights.bin'));
  assert.ok(wa.equals(wb));
});
