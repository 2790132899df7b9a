/**
 * The kernels tripletkit registers (or replaces) on wasm, checked against the cpu backend on random inputs, through
 * the public ops whose gradients use them.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../src/index.ts';

before(async () => {
  await selectBackend('wasm'); // registers the kernels
});

function rand(shape: number[], seed: number): Float32Array {
  let s = seed >>> 0;
  const n = shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

/** Runs `f` on cpu and on wasm with the same inputs and compares every output. */
async function compare(name: string, f: () => tf.Tensor | tf.Tensor[], tol = 1e-4): Promise<void> {
  const run = async (backend: string) => {
    await tf.setBackend(backend);
    const out = tf.tidy(f);
    const list = Array.isArray(out) ? out : [out];
    const values = list.map((t) => ({ shape: t.shape, data: Float32Array.from(t.dataSync()) }));
    tf.dispose(list);
    return values;
  };
  const cpu = await run('cpu');
  const wasm = await run('wasm');
  assert.equal(wasm.length, cpu.length);
  for (let i = 0; i < cpu.length; i++) {
    assert.deepEqual(wasm[i].shape, cpu[i].shape, `${name}: output ${i} shape`);
    let maxErr = 0;
    let scale = 1e-6;
    for (let j = 0; j < cpu[i].data.length; j++) {
      maxErr = Math.max(maxErr, Math.abs(wasm[i].data[j] - cpu[i].data[j]));
      scale = Math.max(scale, Math.abs(cpu[i].data[j]));
    }
    assert.ok(maxErr <= tol * scale, `${name}: output ${i} differs by ${maxErr} (scale ${scale})`);
  }
}

const convCases: {
  x: [number, number, number, number];
  f: [number, number, number, number];
  s: number;
  pad: 'same' | 'valid';
}[] = [
  { x: [2, 9, 9, 3], f: [3, 3, 3, 4], s: 1, pad: 'same' },
  { x: [2, 9, 8, 3], f: [3, 3, 3, 4], s: 1, pad: 'valid' },
  { x: [2, 9, 9, 3], f: [3, 3, 3, 5], s: 2, pad: 'same' },
  { x: [1, 10, 7, 2], f: [5, 3, 2, 3], s: 2, pad: 'valid' },
  { x: [3, 6, 6, 1], f: [1, 1, 1, 4], s: 1, pad: 'same' },
];

test('conv2d gradients (Conv2DBackpropFilter, Conv2DBackpropInput) match cpu', async () => {
  for (const c of convCases) {
    const xs = rand(c.x, 1);
    const fs = rand(c.f, 2);
    await compare(`conv ${JSON.stringify(c)}`, () => {
      const x = tf.tensor4d(xs, c.x);
      const w = tf.tensor4d(fs, c.f);
      const g = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
        tf.sum(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.s, c.pad)),
      );
      // A non-uniform upstream gradient: weight the output by its square.
      const h = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
        tf.sum(tf.square(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.s, c.pad))),
      );
      return [...g([x, w]), ...h([x, w])];
    });
  }
});

test('depthwise conv gradients match cpu (multipliers 1 and 2, strides 1 and 2)', async () => {
  const cases: {
    x: [number, number, number, number];
    f: [number, number, number, number];
    s: number;
    pad: 'same' | 'valid';
  }[] = [
    { x: [2, 8, 8, 3], f: [3, 3, 3, 1], s: 1, pad: 'same' },
    { x: [2, 8, 7, 3], f: [3, 3, 3, 2], s: 1, pad: 'valid' },
    { x: [2, 9, 9, 2], f: [3, 3, 2, 2], s: 2, pad: 'same' },
    { x: [1, 8, 8, 4], f: [3, 3, 4, 1], s: 2, pad: 'valid' },
  ];
  for (const c of cases) {
    const xs = rand(c.x, 3);
    const fs = rand(c.f, 4);
    await compare(`depthwise ${JSON.stringify(c)}`, () => {
      const x = tf.tensor4d(xs, c.x);
      const w = tf.tensor4d(fs, c.f);
      const g = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
        tf.sum(tf.square(tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.s, c.pad))),
      );
      return g([x, w]);
    });
  }
});

test('gather gradient (UnsortedSegmentSum) matches cpu, repeated indices included', async () => {
  const xs = rand([6, 5], 5);
  await compare('gather grad', () => {
    const x = tf.tensor2d(xs, [6, 5]);
    const idx = tf.tensor1d([0, 3, 3, 5, 0, 0, 2], 'int32');
    const g = tf.grad((a: tf.Tensor) => tf.sum(tf.square(tf.gather(a, idx))));
    const flat = tf.reshape(x, [-1]);
    const g2 = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.gather(a, tf.tensor1d([1, 1, 29, 7], 'int32')), 3)));
    return [g(x), g2(flat), tf.unsortedSegmentSum(x, tf.tensor1d([2, 0, 2, 1, 1, 0], 'int32'), 3)];
  });
});

test('max-pool gradient (MaxPoolGrad) matches cpu, ties and overlapping windows included', async () => {
  const xs = rand([2, 8, 8, 3], 6).map((v) => Math.round(v * 3)); // many ties
  for (const [size, stride, pad] of [
    [2, 2, 'valid'],
    [3, 2, 'same'],
    [3, 1, 'valid'],
  ] as const) {
    await compare(`maxpool ${size}/${stride}/${pad}`, () => {
      const x = tf.tensor4d(xs, [2, 8, 8, 3]);
      const g = tf.grad((a: tf.Tensor) =>
        tf.sum(tf.mul(tf.maxPool(a as tf.Tensor4D, size, stride, pad), tf.scalar(1.5))),
      );
      return g(x);
    });
  }
});

test('bias Add and the ReLU gradient match cpu', async () => {
  const xs = rand([4, 20, 20, 8], 9);
  const bs = rand([8], 10);
  await compare('bias add + relu grad', () => {
    const x = tf.tensor4d(xs, [4, 20, 20, 8]);
    const b = tf.tensor1d(bs);
    const g = tf.grads((a: tf.Tensor, c: tf.Tensor) => tf.sum(tf.mul(tf.relu(tf.add(a, c)), a)));
    return [tf.add(x, b), ...g([x, b])];
  });
});

test('Sum over leading axes and transposed BatchMatMul match cpu', async () => {
  const xs = rand([4, 5, 6, 7], 7);
  const ys = rand([3, 6, 5], 8);
  await compare('sum', () => {
    const x = tf.tensor4d(xs, [4, 5, 6, 7]);
    return [tf.sum(x, [0, 1, 2]), tf.sum(x, [0, 1], true), tf.sum(x, 3), tf.sum(x)];
  });
  await compare('matmul', () => {
    const a = tf.tensor3d(ys, [3, 6, 5]);
    const b = tf.tensor3d(ys.slice(0, 90), [3, 6, 5]);
    return [
      tf.matMul(a, b, true, false),
      tf.matMul(a, b, false, true),
      tf.matMul(a, tf.tensor3d(ys.slice(0, 90), [3, 5, 6]), true, true),
    ];
  });
});
