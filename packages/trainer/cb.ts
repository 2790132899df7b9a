import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from './src/index.ts';

await selectBackend('wasm');
const x = tf.randomUniform([128, 14, 14, 32]) as tf.Tensor4D;
const w = tf.randomUniform([3, 3, 32, 64]) as tf.Tensor4D;
const dy = tf.randomUniform([128, 14, 14, 64]) as tf.Tensor4D;
const cpu = (f: () => tf.Tensor) => {
  f().dispose();
  const c0 = process.cpuUsage();
  for (let i = 0; i < 10; i++) f().dispose();
  const c = process.cpuUsage(c0);
  return ((c.user + c.system) / 10000).toFixed(1);
};
const gf = tf.grad((f: tf.Tensor) => tf.conv2d(x, f as tf.Tensor4D, 1, 'same'));
for (let r = 0; r < 2; r++)
  console.log(
    `fwd ${cpu(() => tf.conv2d(x, w, 1, 'same'))} fwd+filter ${cpu(() => gf(w, dy))} input ${cpu(() => tf.conv2dTranspose(dy, w, [128, 14, 14, 32], 1, 'same'))} ms`,
  );
