/**
 * Training on a tiny real subset (500 MNIST digits, 200 for validation): online and offline modes learn (loss falls,
 * P@1 rises), every online strategy runs, resume and Ctrl-C continue bit-identically, models round-trip, bad input
 * is rejected with a clear error. Runs on wasm, and on tensorflow through trainTensorflow.test.ts.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { isTripletkitError } from '@tripletkit/common';
import { mine } from '@tripletkit/miner';
import {
  buildEncoder,
  embedSet,
  loadModel,
  precisionAt1,
  readImageSet,
  saveModel,
  selectBackend,
  train,
} from '../src/index.ts';
import { mnistSplit, tempDir, writeTriplets } from './helpers/fixtures.ts';
import { mnistDigits, writeDigits } from './helpers/mnistImages.ts';

let data: { dir: string; train: string; val: string };
const NORM = { mean: [0], std: [1] };

before(async () => {
  // wasm by default; trainTensorflow.test.ts runs this whole file again on libtensorflow.
  await selectBackend(process.env.TRIPLETKIT_TEST_BACKEND === 'tensorflow' ? 'tensorflow' : 'wasm');
  data = await mnistSplit();
});

async function initialP1(seed: number): Promise<number> {
  const val = await readImageSet(data.val);
  const m = buildEncoder('small-cnn', { inputShape: [28, 28, 1], seed });
  const p = precisionAt1(m, val, NORM);
  m.dispose();
  return p;
}

test('online semi-hard mining learns: loss falls and validation P@1 rises', async () => {
  const before = await initialP1(1);
  const r = await train({
    workers: 1,
    images: data.train,
    val: data.val,
    mining: 'semi-hard',
    out: path.join(data.dir, 'online'),
    epochs: 4,
    p: 10,
    k: 8,
    seed: 1,
  });
  const p1 = r.epochs.map((e) => e.precisionAt1 as number);
  assert.equal(r.mode, 'online');
  assert.ok(r.epochs[3].loss < r.epochs[0].loss, `loss ${r.epochs.map((e) => e.loss)}`);
  assert.ok(Math.max(...p1) > before + 0.05, `P@1 ${before} → ${p1}`);
  assert.equal(r.bestPrecisionAt1, Math.max(...p1));
  // The kept model is the best epoch's.
  const { model, metadata } = await loadModel(r.out);
  assert.equal(metadata?.precisionAt1, r.bestPrecisionAt1);
  const val = await readImageSet(data.val);
  assert.equal(precisionAt1(model, val, NORM), r.bestPrecisionAt1);
  const log = (await fs.readFile(path.join(r.out, 'train.jsonl'), 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  const steps = log.filter((l) => l.type === 'step');
  assert.ok(steps.length > 0 && steps.every((s) => s.loss >= 0 && s.activeFraction >= 0 && s.activeFraction <= 1));
  assert.equal(log.filter((l) => l.type === 'epoch').length, 4);
});

test('every online strategy trains (finite loss, triplets found)', async () => {
  for (const mining of ['hard', 'batch-hard', 'batch-all', 'semi-hard-tfa'] as const) {
    const r = await train({
      workers: 1,
      images: data.train,
      mining,
      out: path.join(data.dir, `s-${mining}`),
      epochs: 1,
      stepsPerEpoch: 3,
      p: 8,
      k: 4,
      reduction: mining === 'semi-hard-tfa' ? 'mean' : 'nonzero-mean',
    });
    assert.ok(Number.isFinite(r.epochs[0].loss) && r.epochs[0].loss > 0, `${mining}: loss ${r.epochs[0].loss}`);
  }
});

test('offline training on mined triplets learns, with re-mining', async () => {
  const set = await readImageSet(data.train);
  const m = buildEncoder('small-cnn', { inputShape: [28, 28, 1], seed: 2 });
  const emb = embedSet(m, set, NORM);
  m.dispose();
  const t = mine(emb, 64, set.labels, { strategy: 'semi-hard', maxPerAnchor: 2, seed: 1 });
  const file = path.join(data.dir, 'mined.arrow');
  await writeTriplets(file, t);
  const before = await initialP1(2);
  const r = await train({
    workers: 1,
    images: data.train,
    triplets: file,
    val: data.val,
    out: path.join(data.dir, 'offline'),
    epochs: 3,
    batchSize: 100,
    seed: 2,
    remineEvery: 2,
  });
  assert.equal(r.mode, 'offline');
  const p1 = r.epochs.map((e) => e.precisionAt1 as number);
  assert.ok(Math.max(...p1) > before + 0.03, `P@1 ${before} → ${p1}`);
  // Epochs 1 and 2 train on the same triplets (re-mining comes after epoch 2). The logged loss is PML's mean over the
  // non-zero triplets, which can rise while fewer triplets stay active; the mean over all of them (loss × active
  // fraction) is what must fall.
  const meanLoss = r.epochs.map((e) => e.loss * e.activeFraction);
  assert.ok(meanLoss[1] < meanLoss[0], `mean loss ${meanLoss}, active ${r.epochs.map((e) => e.activeFraction)}`);
});

async function weightsOf(dir: string): Promise<Buffer> {
  return fs.readFile(path.join(dir, 'model', 'weights.bin'));
}

test('a re-mined run resumes exactly, twice (the re-mined triplets stay in every later checkpoint)', async () => {
  const set = await readImageSet(data.train);
  const m = buildEncoder('small-cnn', { inputShape: [28, 28, 1], seed: 4 });
  const t = mine(embedSet(m, set, NORM), 64, set.labels, { strategy: 'semi-hard', maxPerAnchor: 1, seed: 1 });
  m.dispose();
  const file = path.join(data.dir, 'mined-resume.arrow');
  await writeTriplets(file, t);
  const common = { workers: 1, images: data.train, triplets: file, batchSize: 32, stepsPerEpoch: 2, seed: 6 };
  const straight = path.join(data.dir, 'remine-straight');
  await train({ ...common, out: straight, epochs: 6, remineEvery: 3 });
  // Re-mined before epoch 4. The run resumed for epoch 5 trains on the re-mined triplets and must save them again in
  // its checkpoint, or the second resume (epoch 6) would not find them.
  const resumed = path.join(data.dir, 'remine-resumed');
  await train({ ...common, out: resumed, epochs: 4, remineEvery: 3 });
  await train({ ...common, out: resumed, epochs: 5, remineEvery: 3, resume: true });
  await train({ ...common, out: resumed, epochs: 6, remineEvery: 3, resume: true });
  assert.ok((await weightsOf(straight)).equals(await weightsOf(resumed)), 'resume after re-mining differs');
});

test('resume and Ctrl-C continue exactly as an uninterrupted run', async () => {
  const common = {
    workers: 1,
    images: data.train,
    mining: 'semi-hard' as const,
    p: 8,
    k: 4,
    stepsPerEpoch: 4,
    seed: 5,
  };
  const straight = path.join(data.dir, 'straight');
  await train({ ...common, out: straight, epochs: 2 });
  const resumed = path.join(data.dir, 'resumed');
  await train({ ...common, out: resumed, epochs: 1 });
  await train({ ...common, out: resumed, epochs: 2, resume: true });
  assert.ok((await weightsOf(straight)).equals(await weightsOf(resumed)), 'resume at an epoch boundary differs');

  const interrupted = path.join(data.dir, 'interrupted');
  const ac = new AbortController();
  let steps = 0;
  await assert.rejects(
    train({
      ...common,
      out: interrupted,
      epochs: 2,
      signal: ac.signal,
      onStep: () => {
        if (++steps === 6) ac.abort(); // epoch 2, after its 2nd batch
      },
    }),
    (err) => isTripletkitError(err, 'E_INTERRUPTED') && /--resume/.test(String((err as { hint?: string }).hint)),
  );
  const state = JSON.parse(await fs.readFile(path.join(interrupted, 'checkpoint', 'state.json'), 'utf8'));
  assert.deepEqual([state.epoch, state.step], [1, 2]);
  await train({ ...common, out: interrupted, epochs: 2, resume: true });
  assert.ok((await weightsOf(straight)).equals(await weightsOf(interrupted)), 'resume after Ctrl-C differs');
});

test('save/load round trip: same topology, weights, outputs and metadata; standard tfjs files', async () => {
  const dir = path.join(await tempDir(), 'm');
  const m = buildEncoder('resnet-small', { inputShape: [12, 12, 3], embeddingDim: 16, seed: 4 });
  const meta = {
    embeddingDim: 16,
    inputShape: [12, 12, 3] as [number, number, number],
    normalization: NORM,
    encoder: 'resnet-small',
  };
  await saveModel(m, dir, meta);
  const json = JSON.parse(await fs.readFile(path.join(dir, 'model.json'), 'utf8'));
  assert.equal(json.format, 'layers-model');
  assert.deepEqual(json.weightsManifest[0].paths, ['weights.bin']);
  const { model, metadata } = await loadModel(dir);
  assert.deepEqual(metadata, meta);
  const x = tf.randomUniform([3, 12, 12, 3], 0, 1, 'float32', 7);
  const a = (m.predict(x) as tf.Tensor).dataSync();
  const b = (model.predict(x) as tf.Tensor).dataSync();
  assert.deepEqual(Array.from(b), Array.from(a));
  const norms = tf.norm(model.predict(x) as tf.Tensor, 'euclidean', 1).dataSync();
  for (const n of norms) assert.ok(Math.abs(n - 1) < 1e-5, 'embeddings are L2-normalised');
});

test('a user LayersModel trains with a projection head', async () => {
  const dir = path.join(await tempDir(), 'user');
  const base = buildEncoder('small-cnn', { inputShape: [28, 28, 1], embeddingDim: 32, seed: 9 });
  await saveModel(base, dir, { embeddingDim: 32, inputShape: [28, 28, 1], normalization: NORM, encoder: 'small-cnn' });
  const r = await train({
    workers: 1,
    images: data.train,
    mining: 'batch-hard',
    model: path.join(dir, 'model.json'),
    embeddingDim: 16,
    out: path.join(data.dir, 'user-run'),
    epochs: 1,
    stepsPerEpoch: 2,
    p: 8,
    k: 4,
  });
  const { model, metadata } = await loadModel(r.out);
  assert.equal(metadata?.encoder, 'custom');
  assert.deepEqual(model.outputs[0].shape, [null, 16]);
});

test('bad input: one class, out-of-range triplets, size mismatch, both/neither mode, NaN loss', async () => {
  const dir = await tempDir();
  const d = mnistDigits(0, 40);
  const one = path.join(dir, 'one.arrow');
  await writeDigits(one, { pixels: d.pixels, labels: new Int32Array(40) });
  await assert.rejects(
    train({ workers: 1, images: one, mining: 'hard', out: path.join(dir, 'o1') }),
    (e) => isTripletkitError(e, 'E_DATA') && /1 class/.test((e as Error).message),
  );
  const bad = path.join(dir, 'bad.arrow');
  await writeTriplets(bad, {
    anchors: Int32Array.of(0, 1),
    positives: Int32Array.of(2, 3),
    negatives: Int32Array.of(4, 900),
  });
  await assert.rejects(
    train({ workers: 1, images: data.train, triplets: bad, out: path.join(dir, 'o2') }),
    (e) =>
      isTripletkitError(e, 'E_DATA') && /Row 1 .* negative index 900, outside the 500 rows/.test((e as Error).message),
  );
  const small = path.join(dir, 'small');
  const m = buildEncoder('small-cnn', { inputShape: [16, 16, 1], seed: 0 });
  await saveModel(m, small, { embeddingDim: 64, inputShape: [16, 16, 1], normalization: NORM, encoder: 'small-cnn' });
  await assert.rejects(
    train({ workers: 1, images: data.train, mining: 'hard', model: small, out: path.join(dir, 'o3') }),
    (e) => isTripletkitError(e, 'E_MODEL') && /16×16×1 images .* 28×28×1/.test((e as Error).message),
  );
  await assert.rejects(train({ workers: 1, images: data.train, out: path.join(dir, 'o4') }), (e) =>
    isTripletkitError(e, 'E_ARG'),
  );
  // NaN: a good first epoch, then an absurd learning rate on resume. The last good checkpoint must survive.
  const run = path.join(dir, 'nan');
  const common = {
    workers: 1,
    images: data.train,
    mining: 'batch-all' as const,
    out: run,
    p: 8,
    k: 4,
    stepsPerEpoch: 3,
  };
  await train({ ...common, epochs: 1 });
  await assert.rejects(
    train({ ...common, epochs: 6, resume: true, learningRate: 1e38 }),
    (e) =>
      isTripletkitError(e, 'E_TRAINING') && /(loss became NaN|weights became non-finite)/.test((e as Error).message),
  );
  const state = JSON.parse(await fs.readFile(path.join(run, 'checkpoint', 'state.json'), 'utf8'));
  assert.ok(state.epoch >= 1 && state.epoch < 6, `checkpoint epoch ${state.epoch}`);
  const weights = new Float32Array(
    (await fs.readFile(path.join(run, 'checkpoint', 'model', 'weights.bin'))).buffer.slice(0),
  );
  assert.ok(weights.every(Number.isFinite), 'the kept checkpoint has finite weights');
});
