import * as tf from '@tensorflow/tfjs-core';
import { buildEncoder, computeStep, lossDenominator, onlineEpoch, selectBackend } from './src/index.ts';

await selectBackend('wasm');
const model = buildEncoder('small-cnn', { inputShape: [28, 28, 1], embeddingDim: 64, seed: 0 });
const optimizer = tf.train.adam(1e-3);
const labels = Int32Array.from({ length: 4096 }, (_, i) => i % 32);
const pixels = Uint8Array.from({ length: 128 * 784 }, (_, i) => (i * 2654435761) >>> 24);
const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
const batches = onlineEpoch(labels, 32, 4, 0, 0);
const config = {
  shape: [28, 28, 1] as [number, number, number],
  normalization: { mean: [0], std: [1] },
  margin: 0.2,
  reduction: 'nonzero-mean' as const,
  mining: 'batch-hard' as const,
};
let tc = 0,
  ta = 0;
const step = (i: number) => {
  const b = batches[i % batches.length];
  const t0 = performance.now();
  const r = computeStep(model, { pixels, rows: b.rows.length, labels: b.labels }, config);
  const t1 = performance.now();
  const denom = lossDenominator('nonzero-mean', r.active, r.count);
  tf.tidy(() => {
    const named: Record<string, tf.Tensor> = {};
    vars.forEach((v, j) => {
      named[v.name] = tf.div(r.grads[j], denom);
    });
    optimizer.applyGradients(named as any);
  });
  tf.dispose(r.grads);
  tc += t1 - t0;
  ta += performance.now() - t1;
};
for (let i = 0; i < 3; i++) step(i);
tc = ta = 0;
const N = 15;
const t0 = performance.now();
for (let i = 0; i < N; i++) step(i);
console.log(
  'img/s',
  ((128 * N) / ((performance.now() - t0) / 1000)).toFixed(0),
  'compute ms',
  (tc / N).toFixed(1),
  'adam ms',
  (ta / N).toFixed(1),
);
const prof = await tf.profile(() => {
  step(0);
});
const agg: Record<string, number> = {};
for (const k of prof.kernels) agg[k.name] = (agg[k.name] ?? 0) + (k.kernelTimeMs as number);
const tot = Object.values(agg).reduce((a, b) => a + b, 0);
console.log(
  'kernel total',
  tot.toFixed(1),
  Object.entries(agg)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 14)
    .map(([k, v]) => `${k}:${v.toFixed(1)}`)
    .join(' '),
);
for (const k of prof.kernels)
  if (['Identity', 'Add', 'Sum', 'Cast', 'Multiply', 'Conv2D'].includes(k.name) && (k.kernelTimeMs as number) > 0.3)
    console.log(k.name, (k.kernelTimeMs as number).toFixed(1), JSON.stringify(k.inputShapes));
