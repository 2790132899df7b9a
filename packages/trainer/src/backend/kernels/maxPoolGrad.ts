/** Max-pool gradient: the native addon for 2×2/2 tiles (the encoders' pooling), else one JS pass over the heap. */
import * as tf from '@tensorflow/tfjs-core';
import { heapF32, maxPoolGradInto } from '../wasmHeap.ts';
import { at, type Info, type KernelArgs, type TrainingKernel, wasmNative, wasmOf } from './kernelScope.ts';

function maxPoolGrad(args: KernelArgs): Info {
  const { dy, input } = args.inputs as { dy: Info; input: Info };
  const { filterSize, strides, pad, dimRoundingMode } = args.attrs as unknown as tf.MaxPoolGradAttrs;
  const info = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    filterSize,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const b = wasmOf(args);
  const dx = b.makeOutput(input.shape, 'float32');
  const { filterHeight, filterWidth, strideHeight, strideWidth, padInfo, inHeight, inWidth, outHeight, outWidth } =
    info;
  const tiles =
    filterHeight === 2 &&
    filterWidth === 2 &&
    strideHeight === 2 &&
    strideWidth === 2 &&
    padInfo.top === 0 &&
    padInfo.left === 0 &&
    inHeight === 2 * outHeight &&
    inWidth === 2 * outWidth;
  if (wasmNative.addon && tiles) {
    wasmNative.addon.maxPool2x2Grad(
      ...at(b, input),
      ...at(b, dy),
      ...at(b, dx),
      info.batchSize,
      outHeight,
      outWidth,
      info.inChannels,
    );
    return dx;
  }
  maxPoolGradInto(heapF32(b, input), heapF32(b, dy), heapF32(b, dx), info);
  return dx;
}

export const maxPoolGradKernel: TrainingKernel = {
  kernelName: tf.MaxPoolGrad,
  kernelFunc: maxPoolGrad,
  replaces: true,
};
