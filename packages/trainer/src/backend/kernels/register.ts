/**
 * Registers tripletkit's wasm kernels, as tfjs backends do (one file per kernel, one list here): the training kernels
 * @tensorflow/tfjs-backend-wasm 4.22 lacks (gradients of convolutions, depthwise convolutions and `tf.gather`), built
 * from wasm's own XNNPACK-backed kernels, and faster versions of some it has — through the optional native addon
 * where it is built. Each kernel is checked numerically against the cpu backend in test/wasmKernels.test.ts.
 */
import * as tf from '@tensorflow/tfjs-core';
import { loadNativeGemm } from '../nativeGemm.ts';
import { batchMatMulKernel } from './batchMatMul.ts';
import { biasAddKernel } from './biasAdd.ts';
import { conv2DKernel } from './conv2D.ts';
import { conv2DBackpropFilterKernel } from './conv2DBackpropFilter.ts';
import { conv2DBackpropInputKernel } from './conv2DBackpropInput.ts';
import { depthwiseBackpropFilterKernel } from './depthwiseBackpropFilter.ts';
import { depthwiseBackpropInputKernel } from './depthwiseBackpropInput.ts';
import { identityKernel } from './identity.ts';
import { keepOriginal, type TrainingKernel, wasmNative } from './kernelScope.ts';
import { maxPoolGradKernel } from './maxPoolGrad.ts';
import { registerReluGradient, reluGradKernel } from './reluGrad.ts';
import { sumKernel } from './sum.ts';
import { unsortedSegmentSumKernel } from './unsortedSegmentSum.ts';

/** In registration order: replacements of wasm's kernels first, then the kernels wasm lacks. */
const KERNELS: TrainingKernel[] = [
  conv2DKernel,
  conv2DBackpropInputKernel,
  batchMatMulKernel,
  sumKernel,
  maxPoolGradKernel,
  identityKernel,
  biasAddKernel,
  reluGradKernel,
  conv2DBackpropFilterKernel,
  depthwiseBackpropFilterKernel,
  depthwiseBackpropInputKernel,
  unsortedSegmentSumKernel,
];

/** Swaps a wasm kernel for ours, keeping the original for the cases ours leaves to it. */
function replace({ kernelName, kernelFunc }: TrainingKernel): void {
  const own = tf.getKernel(kernelName, 'wasm');
  if (!own) return;
  keepOriginal(kernelName, own.kernelFunc);
  tf.unregisterKernel(kernelName, 'wasm');
  tf.registerKernel({ ...own, kernelFunc: kernelFunc as tf.KernelFunc });
}

let registered = false;

/**
 * Registers the missing training kernels for the wasm backend (idempotent).
 *
 * @example
 * registerWasmTrainingKernels();
 * await tf.setBackend('wasm');
 */
export function registerWasmTrainingKernels(): void {
  if (registered) return;
  registered = true;
  // The native GEMM addon, when built, runs the convolutions (forward, and through it the input gradient).
  wasmNative.addon = loadNativeGemm().addon;
  for (const kernel of KERNELS) {
    if (kernel.native && !wasmNative.addon) continue;
    if (kernel.replaces) replace(kernel);
    else if (!tf.getKernel(kernel.kernelName, 'wasm')) {
      tf.registerKernel({
        kernelName: kernel.kernelName,
        backendName: 'wasm',
        kernelFunc: kernel.kernelFunc as tf.KernelFunc,
      });
    }
  }
  if (wasmNative.addon) registerReluGradient();
}
