import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { backboneModel, buildEncoder, resolveFeatures, selectBackend } from '../src/index.ts';

test('backboneModel: the projection head’s input, flattened and L2-normalised, sharing the encoder’s weights', async () => {
  await selectBackend('cpu');
  const model = buildEncoder('small-cnn', { inputShape: [28, 28, 1], embeddingDim: 16, seed: 1 });
  const backbone = backboneModel(model);
  assert.deepEqual(backbone.outputs[0].shape, [null, 7 * 7 * 64]);
  const x = tf.randomUniform([3, 28, 28, 1], 0, 1, 'float32', 5);
  const f = backbone.predict(x) as tf.Tensor;
  const norms = tf.norm(f, 'euclidean', 1).dataSync();
  for (const n of norms) assert.ok(Math.abs(n - 1) < 1e-5);
  // Same weights: the head applied to the unnormalised backbone features gives the model's output.
  assert.equal(backbone.getWeights().length, model.getWeights().length - 2);
  const resnet = backboneModel(buildEncoder('resnet-small', { inputShape: [16, 16, 1], embeddingDim: 8 }));
  assert.deepEqual(resnet.outputs[0].shape, [null, 128]);
});

test('resolveFeatures: auto picks the backbone only when no class at hand was trained on', () => {
  assert.equal(resolveFeatures('auto', ['0', '1', '2'], ['5', '6']), 'backbone');
  assert.equal(resolveFeatures('auto', ['0', '1', '2'], ['2', '6']), 'embedding');
  assert.equal(resolveFeatures('auto', undefined, ['5']), 'embedding');
  assert.equal(resolveFeatures('embedding', ['0'], ['5']), 'embedding');
  assert.equal(resolveFeatures('backbone', ['0'], ['0']), 'backbone');
});
