/** The trainer's Float32Array Adam against tfjs's tf.train.adam (same defaults), over several steps, and its state round trip. */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { Adam, selectBackend } from '../src/index.ts';

before(async () => {
  await selectBackend('cpu');
});

test('matches tf.train.adam over 5 steps; getWeights/setWeights continue identically', async () => {
  const init = Float32Array.from({ length: 50 }, (_, i) => Math.sin(i));
  const grad = (step: number) => Float32Array.from({ length: 50 }, (_, i) => Math.cos(i * 0.7 + step) * (i % 3));
  const v = tf.variable(tf.tensor1d(init), true, 'adam_test_w');
  const ref = tf.train.adam(0.01);
  const ours = new Adam(0.01);
  const params = [Float32Array.from(init)];
  for (let s = 0; s < 5; s++) {
    ref.applyGradients({ adam_test_w: tf.tensor1d(grad(s)) } as unknown as Parameters<typeof ref.applyGradients>[0]);
    ours.apply(params, [Float32Array.from(grad(s), (g) => g * 2)], 0.5);
  }
  const expected = v.dataSync();
  for (let i = 0; i < 50; i++)
    assert.ok(Math.abs(params[0][i] - expected[i]) < 1e-6, `w[${i}] ${params[0][i]} vs ${expected[i]}`);
  const copy = new Adam(0.01);
  await copy.setWeights(await ours.getWeights());
  const a = [Float32Array.from(params[0])];
  const b = [Float32Array.from(params[0])];
  ours.apply(a, [grad(9)], 1);
  copy.apply(b, [grad(9)], 1);
  assert.deepEqual(a, b);
});
