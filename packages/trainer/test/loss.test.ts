/**
 * Triplet losses: values against a direct JS oracle, gradients against central finite differences (float64 oracle
 * of the same formula), the TF-Addons semi-hard rule against a hand-worked case, and the Siamese property: the
 * gather-from-one-embedding gradient equals embedding A, P and N separately with the same weights.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { DISTANCES, distanceTile, l2Normalize } from '@tripletkit/miner';
import {
  buildEncoder,
  computeStep,
  gatherTripletDistances,
  lossDenominator,
  pairwiseDistances,
  type Reduction,
  selectBackend,
  semiHardTfa,
  tripletLoss,
  tripletLossFromMatrix,
  tripletLossParts,
} from '../src/index.ts';

before(async () => {
  await selectBackend('cpu');
});

const N = 6;
const D = 4;
const E = Float64Array.from({ length: N * D }, (_, i) => Math.sin(i * 1.7 + 0.3));
const A = Int32Array.from([0, 0, 1, 2, 3, 4]);
const P = Int32Array.from([1, 2, 0, 0, 4, 3]);
const NEG = Int32Array.from([3, 5, 4, 3, 0, 1]);
const MARGIN = 0.6;

/** float64 oracle of the reduced loss. */
function oracle(e: Float64Array, reduction: Reduction): number {
  const d = (i: number, j: number) => {
    let s = 0;
    for (let k = 0; k < D; k++) s += (e[i * D + k] - e[j * D + k]) ** 2;
    return Math.sqrt(Math.max(s, 1e-12));
  };
  let sum = 0;
  let active = 0;
  for (let t = 0; t < A.length; t++) {
    const v = d(A[t], P[t]) - d(A[t], NEG[t]) + MARGIN;
    const l = reduction === 'soft-margin' ? Math.log1p(Math.exp(v)) : Math.max(v, 0);
    sum += l;
    if (l > 0) active++;
  }
  return sum / lossDenominator(reduction, active, A.length);
}

for (const reduction of ['nonzero-mean', 'mean', 'soft-margin'] as const) {
  test(`${reduction}: value matches the oracle and the gradient matches finite differences`, () => {
    const f = (x: tf.Tensor) =>
      tripletLoss(pairwiseDistances(x as tf.Tensor2D), A, P, NEG, { margin: MARGIN, reduction }).loss;
    const x = tf.tensor2d(Float32Array.from(E), [N, D]);
    const value = f(x).dataSync()[0];
    assert.ok(Math.abs(value - oracle(E, reduction)) < 1e-5, `${value} vs ${oracle(E, reduction)}`);
    const grad = tf.grad(f)(x).dataSync();
    const h = 1e-6;
    for (let i = 0; i < E.length; i++) {
      const plus = Float64Array.from(E);
      const minus = Float64Array.from(E);
      plus[i] += h;
      minus[i] -= h;
      const fd = (oracle(plus, reduction) - oracle(minus, reduction)) / (2 * h);
      assert.ok(Math.abs(grad[i] - fd) < 2e-4, `d/de[${i}]: ${grad[i]} vs finite difference ${fd}`);
    }
  });
}

test('tripletLossFromMatrix = gathering every d_ap, d_an (value and gradient), NaN propagates', () => {
  for (const reduction of ['nonzero-mean', 'soft-margin'] as const) {
    const opts = { margin: MARGIN, reduction };
    const x = tf.tensor2d(Float32Array.from(E), [N, D]);
    const viaMatrix = (e: tf.Tensor) => tripletLossFromMatrix(pairwiseDistances(e as tf.Tensor2D), A, P, NEG, opts).sum;
    const viaGather = (e: tf.Tensor) => {
      const { dAp, dAn } = gatherTripletDistances(pairwiseDistances(e as tf.Tensor2D), A, P, NEG);
      return tripletLossParts(dAp, dAn, opts).sum;
    };
    assert.ok(Math.abs(viaMatrix(x).dataSync()[0] - viaGather(x).dataSync()[0]) < 1e-5);
    const g1 = tf.grad(viaMatrix)(x).dataSync();
    const g2 = tf.grad(viaGather)(x).dataSync();
    for (let i = 0; i < g1.length; i++) assert.ok(Math.abs(g1[i] - g2[i]) < 1e-5, `${reduction} d/de[${i}]`);
  }
  const nan = tf.tensor2d([0, Number.NaN, 1, 0], [2, 2]);
  const r = tripletLossFromMatrix(nan, Int32Array.of(0), Int32Array.of(1), Int32Array.of(1), {
    margin: 0.2,
    reduction: 'nonzero-mean',
  });
  assert.ok(Number.isNaN(r.sum.dataSync()[0]));
});

test('nonzero-mean ignores inactive triplets; all inactive → loss 0', () => {
  const x = tf.tensor2d([0, 0, 0, 0.1, 5, 5], [3, 2]);
  const d = pairwiseDistances(x);
  // d(0,1) = 0.1, d(0,2) ≈ 7.07: loss relu(0.1 − 7.07 + 0.2) = 0.
  const r = tripletLoss(d, Int32Array.of(0), Int32Array.of(1), Int32Array.of(2), {
    margin: 0.2,
    reduction: 'nonzero-mean',
  });
  assert.equal(r.loss.dataSync()[0], 0);
  assert.equal(r.active, 0);
});

test("every registered distance's training matrix equals the miner's tile kernel on the same rows", () => {
  const n = 7;
  const dim = 5;
  const rows = l2Normalize(
    Float32Array.from({ length: n * dim }, (_, i) => Math.cos(i * 2.3 + 0.1)),
    dim,
  );
  for (const d of DISTANCES) {
    const want = new Float32Array(n * n);
    distanceTile(rows, n, rows, n, dim, d.name, want);
    const m = pairwiseDistances(tf.tensor2d(rows, [n, dim]), d.name);
    const got = m.dataSync();
    m.dispose();
    // 2e-3: Euclidean's diagonal is √1e-12 in training (a finite gradient) and a float32 cancellation in mining.
    for (let k = 0; k < n * n; k++)
      assert.ok(Math.abs(got[k] - want[k]) < 2e-3, `${d.name} [${k}]: ${got[k]} vs ${want[k]}`);
  }
});

test('semi-hard (TF Addons rule): nearest negative farther than the positive, else the farthest', () => {
  // 1-D points: class 0 at 0 and 1; class 1 at 0.5, 3 and 10.
  const pts = [0, 1, 0.5, 3, 10];
  const labels = Int32Array.from([0, 0, 1, 1, 1]);
  const n = pts.length;
  const dist = new Float32Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) dist[i * n + j] = Math.abs(pts[i] - pts[j]);
  const t = semiHardTfa(dist, n, labels);
  const rows = Array.from(t.anchors, (a, i) => `${a},${t.positives[i]},${t.negatives[i]}`);
  // Anchor 0 (pos 1, d=1): negatives at 0.5, 3, 10 → nearest farther than 1 is 3 (row 3).
  assert.ok(rows.includes('0,1,3'));
  // Anchor 2 (class 1 at 0.5) with positive 4 (d=9.5): no negative farther → farthest negative, row 1 (d=0.5 vs 0.5 → first max).
  assert.ok(rows.includes('2,4,0') || rows.includes('2,4,1'));
  // Every ordered positive pair appears once.
  assert.equal(rows.length, 2 + 6);
});

test('Siamese: one embedding per distinct image + gathered rows gives the same gradient as embedding A, P, N separately', async () => {
  const model = buildEncoder('small-cnn', { inputShape: [8, 8, 1], embeddingDim: 8, seed: 3 });
  const rows = 4;
  const pixels = Uint8Array.from({ length: rows * 64 }, (_, i) => (i * 37) % 256);
  const triplets = {
    anchors: Int32Array.of(0, 1, 0),
    positives: Int32Array.of(1, 0, 1),
    negatives: Int32Array.of(2, 3, 3),
  };
  const config = {
    shape: [8, 8, 1] as [number, number, number],
    normalization: { mean: [0], std: [1] },
    margin: 5,
    reduction: 'mean' as const,
  };
  const ours = computeStep(model, { pixels, rows, triplets }, config);
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const x = tf.tensor4d(
    Float32Array.from(pixels, (v) => v / 255),
    [rows, 8, 8, 1],
  );
  const pick = (idx: Int32Array) => tf.gather(x, tf.tensor1d(idx, 'int32'));
  const classic = tf.variableGrads(() => {
    const ea = model.apply(pick(triplets.anchors)) as tf.Tensor;
    const ep = model.apply(pick(triplets.positives)) as tf.Tensor;
    const en = model.apply(pick(triplets.negatives)) as tf.Tensor;
    const dap = tf.sqrt(tf.sum(tf.square(tf.sub(ea, ep)), 1));
    const dan = tf.sqrt(tf.sum(tf.square(tf.sub(ea, en)), 1));
    return tf.sum(tf.relu(tf.add(tf.sub(dap, dan), config.margin))) as tf.Scalar;
  }, vars);
  assert.equal(ours.count, 3);
  vars.forEach((v, i) => {
    const a = ours.grads[i].dataSync();
    const b = classic.grads[v.name].dataSync();
    for (let j = 0; j < a.length; j++)
      assert.ok(Math.abs(a[j] - b[j]) < 1e-4 * (1 + Math.abs(b[j])), `${v.name}[${j}]`);
  });
});
