/**
 * The backends agree: on wasm and (where installed) tensorflow, the encoders' forward pass and the training step's
 * gradients match the plain-JS cpu backend within float tolerance, Adam on backend variables matches the host Adam,
 * and a model trained and saved on one backend loads and embeds on the other with the same outputs.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import {
  Adam,
  buildEncoder,
  computeStep,
  type EncoderName,
  embedSet,
  loadModel,
  pixelsToTensor,
  readImageSet,
  selectBackend,
  train,
} from '../src/index.ts';
import { TENSORFLOW_SKIP, tensorflowInstalled } from './helpers/backends.ts';
import { mnistSplit } from './helpers/fixtures.ts';
import { mnistDigits } from './helpers/mnistImages.ts';

const BACKENDS = ['wasm', 'tensorflow'] as const;
const skip = (b: string) => (b === 'tensorflow' && !tensorflowInstalled() ? TENSORFLOW_SKIP : false);

/** max |a − b| / max |b|: relative to the tensor's scale, so tiny entries don't dominate. */
function relError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0;
  let scale = 1e-12;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / scale;
}

/** Gradient tolerance, relative to each tensor's largest entry (resnet-small's deeper graph sums more roundings). */
const CASES: { encoder: EncoderName; shape: [number, number, number]; gradTolerance: number }[] = [
  { encoder: 'small-cnn', shape: [28, 28, 1], gradTolerance: 2e-3 },
  { encoder: 'resnet-small', shape: [12, 12, 3], gradTolerance: 3e-2 },
];

/**
 * Embeddings, the gradient of a fixed linear function of them w.r.t. every weight (well conditioned: an untrained
 * encoder's embeddings are nearly collinear, so a triplet loss's d_ap − d_an cancels and float32 rounding would
 * dominate its gradient), and the training step's loss on fixed triplets — on the current backend.
 */
function forwardAndGrads(model: tfl.LayersModel, shape: [number, number, number]) {
  const rows = 16;
  const size = shape[0] * shape[1] * shape[2];
  const digits = mnistDigits(0, rows).pixels;
  const pixels = new Uint8Array(rows * size);
  for (let r = 0; r < rows; r++) {
    // Resample the digit to H×W; channel c sees it shifted by c pixels (distinct channels, no blank images).
    for (let j = 0; j < size; j++) {
      const c = j % shape[2];
      const y = Math.floor(Math.floor(j / shape[2] / shape[1]) * (28 / shape[0]));
      const x = Math.min(27, Math.floor(((j / shape[2]) % shape[1]) * (28 / shape[1])) + c);
      pixels[r * size + j] = digits[r * 784 + y * 28 + x];
    }
  }
  const normalization = { mean: shape.map(() => 33), std: shape.map(() => 78) };
  const x = pixelsToTensor(pixels, rows, shape, normalization);
  const dim = model.outputs[0].shape[1] as number;
  const probe = tf.tensor2d(
    Float32Array.from({ length: rows * dim }, (_, i) => Math.sin(i * 1.3)),
    [rows, dim],
  );
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const { value, grads } = tf.variableGrads(
    // Inference mode: batch norm is then an affine map of its input (training mode's batch statistics turn float32
    // rounding into percent-level gradient differences — the training step itself is compared via the trainings).
    () => tf.sum(tf.mul(model.apply(x, { training: false }) as tf.Tensor, probe)) as tf.Scalar,
    vars,
  );
  const emb = (model.predict(x) as tf.Tensor).dataSync().slice();
  const g = vars.map((v) => grads[v.name].dataSync().slice());
  tf.dispose([value, x, probe, ...Object.values(grads)]);
  const anchors = Int32Array.from({ length: 12 }, (_, i) => i);
  const positives = Int32Array.from(anchors, (a) => (a + 1) % rows);
  const negatives = Int32Array.from(anchors, (a) => (a + 7) % rows);
  const r = computeStep(
    model,
    { pixels, rows, triplets: { anchors, positives, negatives } },
    { shape, normalization, margin: 0.5, reduction: 'mean' },
  );
  tf.dispose(r.grads);
  return { emb, grads: g, lossSum: r.lossSum };
}

for (const backend of BACKENDS) {
  test(`${backend}: forward pass and gradients match the cpu backend`, { skip: skip(backend) }, async () => {
    for (const { encoder, shape, gradTolerance } of CASES) {
      await selectBackend('cpu');
      const ref = buildEncoder(encoder, { inputShape: shape, embeddingDim: 16, seed: 3 });
      // Before the training-mode pass, which moves the batch-norm statistics.
      const weights = ref.getWeights().map((w) => ({ shape: w.shape, data: w.dataSync().slice() }));
      const expected = forwardAndGrads(ref, shape);
      ref.dispose();
      await selectBackend(backend);
      const model = buildEncoder(encoder, { inputShape: shape, embeddingDim: 16, seed: 3 });
      model.setWeights(weights.map((w) => tf.tensor(w.data, w.shape)));
      const got = forwardAndGrads(model, shape);
      model.dispose();
      assert.ok(relError(got.emb, expected.emb) < 1e-4, `${encoder} embeddings: ${relError(got.emb, expected.emb)}`);
      assert.ok(Math.abs(got.lossSum - expected.lossSum) < 1e-3 * Math.max(1, expected.lossSum));
      assert.ok(
        expected.grads.some((g) => g.some((v) => v !== 0)),
        'the reference gradient is not all zero',
      );
      got.grads.forEach((g, i) => {
        assert.ok(
          relError(g, expected.grads[i]) < gradTolerance,
          `${encoder} gradient ${i}: ${relError(g, expected.grads[i])}`,
        );
      });
    }
  });

  test(`${backend}: Adam on backend variables matches the host Adam, state included`, {
    skip: skip(backend),
  }, async () => {
    await selectBackend(backend);
    const init = Float32Array.from({ length: 300 }, (_, i) => Math.sin(i));
    const grad = (s: number) => Float32Array.from({ length: 300 }, (_, i) => Math.cos(i * 0.7 + s) * (i % 3));
    const host = new Adam(0.01);
    const device = new Adam(0.01);
    const params = [Float32Array.from(init)];
    const v = tf.variable(tf.tensor1d(init));
    for (let s = 0; s < 6; s++) {
      host.apply(params, [grad(s)], 0.5);
      const g = tf.tensor1d(grad(s));
      device.applyToVariables([v], [g], 0.5);
      g.dispose();
    }
    assert.ok(relError(v.dataSync(), params[0]) < 1e-5);
    // The saved state continues on the host exactly as the host Adam's own (same format, moments agree).
    const a = await host.getWeights();
    const b = await device.getWeights();
    assert.deepEqual(
      a.map((x) => x.name),
      b.map((x) => x.name),
    );
    a.forEach((x, i) => {
      assert.ok(relError(b[i].tensor.dataSync(), x.tensor.dataSync()) < 1e-5, x.name);
    });
    device.dispose();
    v.dispose();
  });
}

test('a model trained on one backend loads and embeds on the other with the same outputs', {
  skip: tensorflowInstalled() ? false : TENSORFLOW_SKIP,
}, async () => {
  const data = await mnistSplit(120, 60);
  const val = await readImageSet(data.val);
  const norm = { mean: [0], std: [1] };
  for (const [from, to] of [
    ['tensorflow', 'wasm'],
    ['wasm', 'tensorflow'],
  ] as const) {
    const out = path.join(data.dir, from);
    await selectBackend(from);
    await train({ images: data.train, mining: 'batch-hard', out, epochs: 1, p: 10, k: 4, seed: 2, workers: 1 });
    const a = await loadModel(path.join(out, 'model'));
    const here = embedSet(a.model, val, norm);
    a.model.dispose();
    await selectBackend(to);
    const b = await loadModel(path.join(out, 'model'));
    const there = embedSet(b.model, val, norm);
    b.model.dispose();
    assert.ok(relError(there, here) < 1e-4, `${from} → ${to}: ${relError(there, here)}`);
  }
});
