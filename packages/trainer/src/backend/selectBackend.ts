/**
 * Picks the TensorFlow.js backend at run time. Only the trainer's entry points call this; library code depends on
 * tfjs-core/-layers alone. The native packages (@tensorflow/tfjs-node-gpu, @tensorflow/tfjs-node) are never
 * dependencies — their install scripts download libtensorflow, which breaks `pnpm install` where that is impossible —
 * so they are detected with a dynamic import.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { expectOneOf, TripletkitError } from '@tripletkit/common';
import { loadNativeGemm } from './nativeGemm.ts';
import { registerWasmTrainingKernels } from './wasmKernels.ts';

/** What `--backend` accepts. */
export type BackendChoice = 'auto' | 'tensorflow' | 'wasm' | 'cpu';
export const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', 'tensorflow', 'wasm', 'cpu'];

/** The backend in use. */
export interface BackendInfo {
  /** tfjs backend name: `tensorflow` (tfjs-node / tfjs-node-gpu), `wasm` or `cpu`. */
  name: 'tensorflow' | 'wasm' | 'cpu';
  /** The npm package that provides it. */
  package: string;
  /** One line for the user, e.g. "backend: wasm (SIMD, 1 thread per worker)". */
  description: string;
}

const require = createRequire(import.meta.url);
const NATIVE = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const;

let current: BackendInfo | undefined;

async function tryNative(pkg: string): Promise<boolean> {
  try {
    // A variable specifier keeps bundlers and TypeScript from resolving it at build time.
    await import(pkg);
    return tf.engine().registryFactory.tensorflow !== undefined;
  } catch {
    return false;
  }
}

async function useWasm(): Promise<void> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  // In Node the .wasm binaries are read from the package's dist folder (offline; no fetch).
  const dir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
  wasm.setWasmPaths(`${dir}${path.sep}`);
  registerWasmTrainingKernels();
  if (!(await tf.setBackend('wasm'))) throw new Error('wasm backend failed to initialise');
}

async function useCpu(): Promise<void> {
  await import('@tensorflow/tfjs-backend-cpu');
  if (!(await tf.setBackend('cpu'))) throw new Error('cpu backend failed to initialise');
}

function notInstalled(): TripletkitError {
  return new TripletkitError(
    'E_BACKEND',
    'The tensorflow backend needs @tensorflow/tfjs-node-gpu (CUDA) or @tensorflow/tfjs-node, and neither is installed.',
    {
      hint:
        'Install one next to tripletkit: `pnpm add @tensorflow/tfjs-node-gpu@4.22.0` (or @tensorflow/tfjs-node@4.22.0). ' +
        'Its install script downloads libtensorflow, so npm/pnpm must be allowed to run install scripts ' +
        '(pnpm: `pnpm approve-builds` or onlyBuiltDependencies) and reach storage.googleapis.com. ' +
        'Or use --backend wasm (the fast CPU default).',
    },
  );
}

/**
 * Activates a backend: `auto` tries tfjs-node-gpu, then tfjs-node, then wasm (with the training kernels wasm lacks
 * registered), then cpu. Idempotent for the same choice.
 *
 * @example
 * const b = await selectBackend('auto');
 * console.error(`backend: ${b.description}`);
 */
export async function selectBackend(choice: BackendChoice = 'auto'): Promise<BackendInfo> {
  expectOneOf('backend', choice, BACKEND_CHOICES);
  if (current && (choice === 'auto' || choice === current.name)) return current;
  if (choice === 'tensorflow' || choice === 'auto') {
    for (const pkg of NATIVE) {
      if (await tryNative(pkg)) {
        await tf.setBackend('tensorflow');
        current = {
          name: 'tensorflow',
          package: pkg,
          description: `tensorflow (${pkg}${pkg.endsWith('gpu') ? ', CUDA' : ''})`,
        };
        return current;
      }
    }
    if (choice === 'tensorflow') throw notInstalled();
  }
  if (choice === 'wasm' || choice === 'auto') {
    try {
      await useWasm();
      const native = loadNativeGemm();
      const conv = native.addon
        ? `native ${native.addon.info().isa} convolutions`
        : `wasm convolutions; native addon ${native.reason}`;
      current = { name: 'wasm', package: '@tensorflow/tfjs-backend-wasm', description: `wasm (XNNPACK SIMD, ${conv})` };
      return current;
    } catch (err) {
      if (choice === 'wasm') {
        throw new TripletkitError('E_BACKEND', `The wasm backend could not start: ${(err as Error).message}.`, {
          hint: 'Reinstall @tensorflow/tfjs-backend-wasm@4.22.0, or use --backend cpu (much slower).',
          cause: err,
        });
      }
    }
  }
  await useCpu();
  current = { name: 'cpu', package: '@tensorflow/tfjs-backend-cpu', description: 'cpu (plain JavaScript, slow)' };
  return current;
}
