/** Bias addition ([..., C] + [C]) by the native addon (vectorised); anything else: wasm's Add. */
import * as tf from '@tensorflow/tfjs-core';
import { at, type Info, type KernelArgs, original, type TrainingKernel, wasmNative, wasmOf } from './kernelScope.ts';

function biasAdd(args: KernelArgs): Info {
  const { a, b } = args.inputs as { a: Info; b: Info };
  const wasmOwn = original(tf.Add);
  const c = b.shape.length === 1 ? b.shape[0] : 0;
  const size = tf.util.sizeFromShape(a.shape);
  const addon = wasmNative.addon;
  if (
    !addon ||
    a.dtype !== 'float32' ||
    b.dtype !== 'float32' ||
    c === 0 ||
    a.shape[a.shape.length - 1] !== c ||
    size < 65536
  ) {
    return wasmOwn(args) as Info;
  }
  const backend = wasmOf(args);
  const out = backend.makeOutput(a.shape, 'float32');
  addon.biasAdd(...at(backend, a), ...at(backend, b), size / c, c, ...at(backend, out));
  return out;
}

export const biasAddKernel: TrainingKernel = { kernelName: tf.Add, kernelFunc: biasAdd, replaces: true, native: true };
