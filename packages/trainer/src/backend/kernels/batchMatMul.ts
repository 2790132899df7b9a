/** wasm's BatchMatMul is ~10× slower with transposeA/B than on row-major operands: transpose explicitly first. */
import * as tf from '@tensorflow/tfjs-core';
import { type Info, type KernelArgs, KernelScope, original, type TrainingKernel } from './kernelScope.ts';

function batchMatMul(args: KernelArgs): Info {
  const { a, b } = args.inputs as { a: Info; b: Info };
  const { transposeA, transposeB } = args.attrs as unknown as tf.BatchMatMulAttrs;
  const wasmOwn = original(tf.BatchMatMul);
  if (!transposeA && !transposeB) return wasmOwn(args) as Info;
  const s = new KernelScope(args.backend);
  const flip = (t: Info) => {
    const perm = t.shape.map((_, i) => i);
    const r = perm.length;
    [perm[r - 2], perm[r - 1]] = [perm[r - 1], perm[r - 2]];
    return s.run('Transpose', { x: t }, { perm });
  };
  const out = wasmOwn({
    inputs: { a: transposeA ? flip(a) : a, b: transposeB ? flip(b) : b },
    backend: args.backend,
    attrs: { transposeA: false, transposeB: false },
  }) as Info;
  return s.finish(s.adopt(out));
}

export const batchMatMulKernel: TrainingKernel = {
  kernelName: tf.BatchMatMul,
  kernelFunc: batchMatMul,
  replaces: true,
};
