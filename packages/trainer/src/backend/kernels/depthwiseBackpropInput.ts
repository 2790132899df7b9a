/** Input gradient of a depthwise convolution (wasm has none), composed from wasm's own kernels. */
import * as tf from '@tensorflow/tfjs-core';
import { convInfo, type Info, type KernelArgs, KernelScope, type TrainingKernel } from './kernelScope.ts';

function depthwiseBackpropInput(args: KernelArgs): Info {
  const { dy, filter } = args.inputs as { dy: Info; filter: Info };
  const attrs = args.attrs as unknown as tf.DepthwiseConv2dNativeBackpropInputAttrs;
  const s = new KernelScope(args.backend);
  const info = convInfo(attrs.inputShape, filter.shape, attrs, attrs.dilations, true);
  const { batchSize, inChannels, inHeight, inWidth, filterHeight, filterWidth, outHeight, outWidth } = info;
  const { strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
  const mult = filter.shape[3];
  // Σ_m dy[b,y,x,c,m]·w[fh,fw,c,m] per filter tap, then scatter each tap's [B,OH,OW,C] into dx by zero-padding:
  // tap (fh,fw) lands at rows y·sh + fh·dh − top. Zero-insertion for strides uses pad + reshape.
  const dy5 = s.reshape(dy, [batchSize, outHeight, outWidth, inChannels, mult]);
  const fullH = (outHeight - 1) * sh + 1 + (filterHeight - 1) * dh;
  const fullW = (outWidth - 1) * sw + 1 + (filterWidth - 1) * dw;
  const h = (outHeight - 1) * sh + 1;
  const wd = (outWidth - 1) * sw + 1;
  const parts: Info[] = [];
  for (let fh = 0; fh < filterHeight; fh++) {
    for (let fw = 0; fw < filterWidth; fw++) {
      const w = s.run('Slice', { x: filter }, { begin: [fh, fw, 0, 0], size: [1, 1, inChannels, mult] });
      const prod = s.run('Multiply', { a: dy5, b: s.reshape(w, [1, 1, 1, inChannels, mult]) });
      let tap = s.run('Sum', { x: prod }, { axis: [4], keepDims: false }); // [B,OH,OW,C]
      if (sh > 1 || sw > 1) {
        // Insert (stride − 1) zeros after every row/column: [B,OH,1,OW,1,C] padded → [B,OH·sh,OW·sw,C], trimmed.
        const t6 = s.reshape(tap, [batchSize, outHeight, 1, outWidth, 1, inChannels]);
        const p6 = s.pad(t6, [
          [0, 0],
          [0, 0],
          [0, sh - 1],
          [0, 0],
          [0, sw - 1],
          [0, 0],
        ]);
        const flat = s.reshape(p6, [batchSize, outHeight * sh, outWidth * sw, inChannels]);
        tap = s.run('Slice', { x: flat }, { begin: [0, 0, 0, 0], size: [batchSize, h, wd, inChannels] });
      }
      parts.push(
        s.pad(tap, [
          [0, 0],
          [fh * dh, fullH - h - fh * dh],
          [fw * dw, fullW - wd - fw * dw],
          [0, 0],
        ]),
      );
    }
  }
  const total = parts.length === 1 ? parts[0] : s.run('AddN', parts);
  // `total` covers the padded input; crop the padding (or pad the rows the convolution never reached).
  const { top, left } = info.padInfo;
  const cropH = Math.min(inHeight, fullH - top);
  const cropW = Math.min(inWidth, fullW - left);
  let dx = s.run('Slice', { x: total }, { begin: [0, top, left, 0], size: [batchSize, cropH, cropW, inChannels] });
  if (cropH < inHeight || cropW < inWidth) {
    dx = s.pad(dx, [
      [0, 0],
      [0, inHeight - cropH],
      [0, inWidth - cropW],
      [0, 0],
    ]);
  }
  return s.finish(dx);
}

export const depthwiseBackpropInputKernel: TrainingKernel = {
  kernelName: tf.DepthwiseConv2dNativeBackpropInput,
  kernelFunc: depthwiseBackpropInput,
  replaces: false,
};
