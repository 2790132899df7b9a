/** Filter gradient of a depthwise convolution (wasm has none): JS im2col, then one wasm BatchMatMul per channel. */
import * as tf from '@tensorflow/tfjs-core';
import { convInfo, type Info, im2colT, type KernelArgs, KernelScope, type TrainingKernel } from './kernelScope.ts';

function depthwiseBackpropFilter(args: KernelArgs): Info {
  const { x, dy } = args.inputs as { x: Info; dy: Info };
  const attrs = args.attrs as unknown as tf.DepthwiseConv2dNativeBackpropFilterAttrs;
  const { filterShape } = attrs;
  const s = new KernelScope(args.backend);
  const info = convInfo(x.shape, filterShape, attrs, attrs.dilations, true);
  const { batchSize, inChannels, filterHeight, filterWidth, outHeight, outWidth } = info;
  const mult = filterShape[3];
  const n = batchSize * outHeight * outWidth;
  // colsT: [FH·FW, C, N] → [C, FH·FW, N]; dy: [N, C, M] → [C, N, M]; per channel one matmul → [C, FH·FW, M].
  const colsT = s.run(
    'Transpose',
    { x: s.reshape(im2colT(s, x, info), [filterHeight * filterWidth, inChannels, n]) },
    { perm: [1, 0, 2] },
  );
  const g = s.run('Transpose', { x: s.reshape(dy, [n, inChannels, mult]) }, { perm: [1, 0, 2] });
  const prod = s.run('BatchMatMul', { a: colsT, b: g }, { transposeA: false, transposeB: false }); // [C, K, M]
  const out = s.run('Transpose', { x: prod }, { perm: [1, 0, 2] }); // [K, C, M]
  return s.finish(s.reshape(out, filterShape));
}

export const depthwiseBackpropFilterKernel: TrainingKernel = {
  kernelName: tf.DepthwiseConv2dNativeBackpropFilter,
  kernelFunc: depthwiseBackpropFilter,
  replaces: false,
};
