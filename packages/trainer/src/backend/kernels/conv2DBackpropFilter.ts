/**
 * Filter gradient of a convolution. WHY: it is a matrix product between image patches and the output gradient, so
 * im2col + one GEMM is far faster than any JS loop. Native: an implicit kernel (AVX-512), else native im2col + one
 * GEMM with a transposed left operand; without the addon, a JS im2col + wasm's SIMD BatchMatMul.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { NativeGemm } from '../nativeGemm.ts';
import type { WasmBackendLike } from '../wasmHeap.ts';
import {
  at,
  convInfo,
  type Info,
  im2colT,
  inputOf,
  type KernelArgs,
  KernelScope,
  type TrainingKernel,
  wasmNative,
  wasmOf,
  windowOf,
} from './kernelScope.ts';

function backpropFilterNative(
  addon: NativeGemm,
  b: WasmBackendLike,
  x: Info,
  dy: Info,
  info: tf.backend_util.Conv2DInfo,
  filterShape: number[],
): Info {
  const rows = info.batchSize * info.outHeight * info.outWidth;
  const k = info.filterHeight * info.filterWidth * info.inChannels;
  const out = b.makeOutput(filterShape, 'float32');
  const fw = [info.filterHeight, info.filterWidth] as const;
  if (
    addon.conv2dFilterGrad(
      ...at(b, x),
      ...inputOf(info),
      ...at(b, dy),
      ...fw,
      info.outChannels,
      ...windowOf(info),
      ...at(b, out),
    )
  ) {
    return out;
  }
  const cols = b.makeOutput([rows, k], 'float32');
  addon.im2col(...at(b, x), ...inputOf(info), ...fw, ...windowOf(info), ...at(b, cols));
  addon.sgemm(
    1,
    k,
    info.outChannels,
    rows,
    ...at(b, cols),
    k,
    ...at(b, dy),
    info.outChannels,
    ...at(b, out),
    info.outChannels,
    0,
  );
  b.disposeData(cols.dataId);
  return out;
}

function conv2DBackpropFilter(args: KernelArgs): Info {
  const { x, dy } = args.inputs as { x: Info; dy: Info };
  const attrs = args.attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  if (attrs.dataFormat === 'NCHW') throw new Error('Conv2DBackpropFilter on wasm supports channels-last (NHWC) only');
  const s = new KernelScope(args.backend);
  const info = convInfo(x.shape, attrs.filterShape, attrs);
  if (wasmNative.addon && x.dtype === 'float32') {
    return backpropFilterNative(wasmNative.addon, wasmOf(args), x, dy, info, attrs.filterShape);
  }
  const colsT = im2colT(s, x, info);
  const n = info.batchSize * info.outHeight * info.outWidth;
  // [K, N] · [N, Co] = [K, Co]; BatchMatMul wants rank 3.
  const prod = s.run(
    'BatchMatMul',
    { a: s.reshape(colsT, [1, ...colsT.shape]), b: s.reshape(dy, [1, n, info.outChannels]) },
    { transposeA: false, transposeB: false },
  );
  return s.finish(s.reshape(prod, attrs.filterShape));
}

export const conv2DBackpropFilterKernel: TrainingKernel = {
  kernelName: tf.Conv2DBackpropFilter,
  kernelFunc: conv2DBackpropFilter,
  replaces: false,
};
