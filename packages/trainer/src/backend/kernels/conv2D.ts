/** Forward convolution (NHWC) as the native addon's implicit GEMM; NCHW and non-float inputs keep wasm's XNNPACK. */
import * as tf from '@tensorflow/tfjs-core';
import {
  at,
  convInfo,
  type Info,
  inputOf,
  type KernelArgs,
  original,
  type TrainingKernel,
  wasmNative,
  wasmOf,
  windowOf,
} from './kernelScope.ts';

function conv2D(args: KernelArgs): Info {
  const { x, filter } = args.inputs as { x: Info; filter: Info };
  const attrs = args.attrs as unknown as tf.Conv2DAttrs;
  const addon = wasmNative.addon;
  if (!addon || attrs.dataFormat === 'NCHW' || x.dtype !== 'float32') return original(tf.Conv2D)(args) as Info;
  const info = convInfo(x.shape, filter.shape, attrs, attrs.dilations);
  const b = wasmOf(args);
  const out = b.makeOutput(info.outShape, 'float32');
  addon.conv2d(
    ...at(b, x),
    ...inputOf(info),
    ...at(b, filter),
    info.filterHeight,
    info.filterWidth,
    info.outChannels,
    ...windowOf(info),
    ...at(b, out),
  );
  return out;
}

export const conv2DKernel: TrainingKernel = { kernelName: tf.Conv2D, kernelFunc: conv2D, replaces: true, native: true };
