/** ReLU's gradient in one native pass (dy where x > 0), instead of tfjs's Step → Cast → Multiply. */
import * as tf from '@tensorflow/tfjs-core';
import { at, type Info, type KernelArgs, type TrainingKernel, wasmNative, wasmOf } from './kernelScope.ts';

/** Name of the fused ReLU-gradient kernel (wasm only; other backends keep tfjs's gradient). */
export const RELU_GRAD = 'TripletkitReluGrad';

function reluGrad(args: KernelArgs): Info {
  const { dy, x } = args.inputs as { dy: Info; x: Info };
  const backend = wasmOf(args);
  const out = backend.makeOutput(x.shape, 'float32');
  wasmNative.addon?.reluGrad(
    ...at(backend, x),
    ...at(backend, dy),
    tf.util.sizeFromShape(x.shape),
    ...at(backend, out),
  );
  return out;
}

export const reluGradKernel: TrainingKernel = {
  kernelName: RELU_GRAD,
  kernelFunc: reluGrad,
  replaces: false,
  native: true,
};

/**
 * Routes ReLU's gradient through {@link RELU_GRAD} on wasm. The gradient registry is shared by all backends, so the
 * replacement hands every other backend tfjs's own gradient.
 */
export function registerReluGradient(): void {
  const reluGradient = tf.getGradient(tf.Relu);
  if (!reluGradient) return;
  tf.registerGradient({
    ...reluGradient,
    gradFunc: (dy, saved, attrs) => {
      if (tf.getBackend() !== 'wasm') return reluGradient.gradFunc(dy, saved, attrs);
      const [x] = saved;
      return { x: () => tf.engine().runKernel(RELU_GRAD, { dy: dy as tf.Tensor, x }) as tf.Tensor };
    },
  });
}
