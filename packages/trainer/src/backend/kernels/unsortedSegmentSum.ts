/** Scatter-add in one JS pass over the wasm heap (the gradient of tf.gather, which wasm lacks): out[ids[i]] += x[i]. */
import * as tf from '@tensorflow/tfjs-core';
import { at, type Info, type KernelArgs, type TrainingKernel, wasmOf } from './kernelScope.ts';

function unsortedSegmentSum(args: KernelArgs): Info {
  const { x, segmentIds } = args.inputs as { x: Info; segmentIds: Info };
  const { numSegments } = args.attrs as unknown as tf.UnsortedSegmentSumAttrs;
  const b = wasmOf(args);
  const n = tf.util.sizeFromShape(segmentIds.shape);
  const rest = x.shape.slice(segmentIds.shape.length);
  const d = tf.util.sizeFromShape(rest);
  const out = b.makeOutput([numSegments, ...rest], x.dtype);
  const view = (t: Info) => {
    const [heap, offset] = at(b, t);
    return t.dtype === 'int32'
      ? new Int32Array(heap, offset, tf.util.sizeFromShape(t.shape))
      : new Float32Array(heap, offset, tf.util.sizeFromShape(t.shape));
  };
  const ids = view(segmentIds);
  const xs = view(x);
  const o = view(out);
  o.fill(0);
  for (let i = 0; i < n; i++) {
    const s = ids[i];
    // Out-of-range ids are dropped, as in TensorFlow.
    if (s < 0 || s >= numSegments) continue;
    const src = i * d;
    const dst = s * d;
    for (let j = 0; j < d; j++) o[dst + j] += xs[src + j];
  }
  return out;
}

export const unsortedSegmentSumKernel: TrainingKernel = {
  kernelName: tf.UnsortedSegmentSum,
  kernelFunc: unsortedSegmentSum,
  replaces: false,
};
