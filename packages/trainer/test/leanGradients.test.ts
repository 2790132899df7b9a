import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { leanVariableGrads } from '../src/gradients/leanVariableGrads.ts';
import { buildEncoder, selectBackend } from '../src/index.ts';

/** Σ‖e_i − e_0‖² over a batch: a loss through every layer, with a broadcasting Sub and Add of the embeddings. */
function loss(model: ReturnType<typeof buildEncoder>, x: tf.Tensor) {
  return () => {
    const e = model.apply(x, { training: true }) as tf.Tensor2D;
    const shifted = tf.add(e, tf.scalar(0.5));
    return tf.sum(tf.square(tf.sub(shifted, tf.slice(shifted, [0, 0], [1, -1])))) as tf.Scalar;
  };
}

for (const backend of ['cpu', 'wasm'] as const) {
  for (const encoder of ['small-cnn', 'resnet-small'] as const) {
    test(`leanVariableGrads: bit-identical to tf.variableGrads (${encoder}, ${backend}), releasing more`, async () => {
      await selectBackend(backend);
      const hw = encoder === 'small-cnn' ? 16 : 8;
      const model = buildEncoder(encoder, { inputShape: [hw, hw, 3], embeddingDim: 8, seed: 3 });
      const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
      const x = tf.randomUniform([4, hw, hw, 3], 0, 1, 'float32', 7);
      const before = tf.memory().numTensors;
      const ref = tf.variableGrads(loss(model, x), vars);
      const afterRef = tf.memory().numTensors;
      const lean = leanVariableGrads(loss(model, x), vars);
      // Same outputs left alive: the value and one gradient per variable, nothing else leaks.
      assert.equal(tf.memory().numTensors - afterRef, afterRef - before);
      assert.deepEqual(Object.keys(lean.grads).sort(), Object.keys(ref.grads).sort());
      assert.equal(lean.value.dataSync()[0], ref.value.dataSync()[0]);
      for (const name of Object.keys(ref.grads)) {
        assert.deepEqual(lean.grads[name].dataSync(), ref.grads[name].dataSync(), name);
      }
      // Peak: the lean walk never holds more tensor bytes than tfjs's.
      const peak = async (fn: () => { value: tf.Scalar; grads: Record<string, tf.Tensor> }) =>
        (
          await tf.profile(() => {
            const r = fn();
            tf.dispose([r.value, ...Object.values(r.grads)]);
            return tf.scalar(0);
          })
        ).peakBytes;
      const refPeak = await peak(() => tf.variableGrads(loss(model, x), vars));
      const leanPeak = await peak(() => leanVariableGrads(loss(model, x), vars));
      assert.ok(leanPeak < refPeak, `${leanPeak} < ${refPeak}`);
      tf.dispose([x, ref.value, lean.value, ...Object.values(ref.grads), ...Object.values(lean.grads)]);
    });
  }
}

test('leanVariableGrads: the Relu and Add gradients are restored afterwards (tf.grads elsewhere is unchanged)', async () => {
  await selectBackend('cpu');
  const reluBefore = tf.getGradient(tf.Relu);
  const addBefore = tf.getGradient(tf.Add);
  const v = tf.variable(tf.tensor1d([-1, 2, 3]));
  leanVariableGrads(() => tf.sum(tf.relu(tf.add(v, tf.scalar(1)))) as tf.Scalar, [v]);
  assert.equal(tf.getGradient(tf.Relu), reluBefore);
  assert.equal(tf.getGradient(tf.Add), addBefore);
  const g = tf.grad((a: tf.Tensor) => tf.sum(tf.relu(tf.add(a, tf.tensor1d([0, 0, 0])))))(tf.tensor1d([-1, 2, 3]));
  assert.deepEqual([...g.dataSync()], [0, 1, 1]);
});
