/**
 * Identity by sharing the buffer (reference count), as the cpu backend does. tfjs tensors are immutable, and the
 * engine clones every tensor a gradient saves: wasm's copying Identity spent ~7% of a training step on memcpy.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Info, KernelArgs, TrainingKernel } from './kernelScope.ts';

function identity(args: KernelArgs): Info {
  const { x } = args.inputs as { x: Info };
  (args.backend as unknown as { incRef(dataId: object): void }).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

export const identityKernel: TrainingKernel = { kernelName: tf.Identity, kernelFunc: identity, replaces: true };
