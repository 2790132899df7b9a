/**
 * Picks the TensorFlow.js backend at run time. Only the trainer's entry points call this; library code depends on
 * tfjs-core/-layers alone. The native packages (@tensorflow/tfjs-node-gpu, @tensorflow/tfjs-node) are never
 * dependencies — their install scripts download libtensorflow, which breaks `pnpm install` where that is impossible —
 * so they are optional peers, found with a dynamic import: next to the trainer, or in the `.tensorflow/` folder that
 * `pnpm tensorflow:install` fills (found by walking up from the trainer and from the working directory, or
 * $TRIPLETKIT_TENSORFLOW_DIR).
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { expectOneOf, TripletkitError } from '@tripletkit/common';
import { BACKEND_CHOICES, type BackendChoice, trainOptionSpecs } from '../train/trainOptionSpecs.ts';
import { chooseAuto } from './autoBackend.ts';
import { registerWasmTrainingKernels } from './kernels/register.ts';
import { loadNativeGemm } from './nativeGemm.ts';

// What `--backend` accepts: declared with train's option specs (no tfjs there, for the CLI's parser).
export { BACKEND_CHOICES, type BackendChoice };

/** The backend in use. */
export interface BackendInfo {
  /** tfjs backend name: `tensorflow` (tfjs-node / tfjs-node-gpu), `wasm` or `cpu`. */
  name: 'tensorflow' | 'wasm' | 'cpu';
  /** The npm package that provides it. */
  package: string;
  /** One line for the user, e.g. "backend: wasm (SIMD, 1 thread per worker)"; with `auto`, why it was chosen. */
  description: string;
  /** With `auto`: why this backend was chosen (the evidence), else undefined. */
  reason?: string;
}

/** Options of {@link selectBackend}. */
export interface SelectBackendOptions {
  /**
   * The encoder about to be trained or run (a built-in name, or `custom` for a user's model): `auto` picks the CPU
   * backend measured faster for it. Unknown: wasm + native kernels.
   */
  encoder?: string;
}

const require = createRequire(import.meta.url);
const NATIVE = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const;

let current: BackendInfo | undefined;

/** The private install folders `pnpm tensorflow:install` may have used, nearest first. */
export function tensorflowInstallDirs(): string[] {
  const dirs: string[] = [];
  if (process.env.TRIPLETKIT_TENSORFLOW_DIR) dirs.push(path.resolve(process.env.TRIPLETKIT_TENSORFLOW_DIR));
  for (const start of [path.dirname(fileURLToPath(import.meta.url)), process.cwd()]) {
    for (let dir = start; ; dir = path.dirname(dir)) {
      const candidate = path.join(dir, '.tensorflow');
      if (fs.existsSync(path.join(candidate, 'node_modules')) && !dirs.includes(candidate)) dirs.push(candidate);
      if (path.dirname(dir) === dir) break;
    }
  }
  return dirs;
}

/** Loads a native package (tfjs-node is CommonJS); the reason it failed otherwise. */
async function tryNative(pkg: string): Promise<string | undefined> {
  let reason = 'not installed';
  try {
    // A variable specifier keeps bundlers and TypeScript from resolving it at build time.
    await import(pkg);
    if (tf.engine().registryFactory.tensorflow !== undefined) return undefined;
  } catch (err) {
    if ((err as { code?: string }).code !== 'ERR_MODULE_NOT_FOUND') reason = (err as Error).message;
  }
  for (const dir of tensorflowInstallDirs()) {
    if (!fs.existsSync(path.join(dir, 'node_modules', pkg, 'package.json'))) continue;
    try {
      createRequire(path.join(dir, 'package.json'))(pkg);
      if (tf.engine().registryFactory.tensorflow !== undefined) return undefined;
    } catch (err) {
      reason = `${pkg} in ${dir} failed to load: ${(err as Error).message.split('\n')[0]}`;
    }
  }
  return reason;
}

/** Whether libtensorflow placed its ops on a GPU (tfjs-node's backend asks the binding for its devices). */
function usingGpu(): boolean {
  return (tf.backend() as unknown as { isUsingGpuDevice?: boolean }).isUsingGpuDevice === true;
}

/** libtensorflow's version, as the binding reports it. */
function libtensorflowVersion(): string {
  return (tf.backend() as unknown as { binding?: { TF_Version?: string } }).binding?.TF_Version ?? '?';
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

function notInstalled(reasons: string[]): TripletkitError {
  const broken = reasons.filter((r) => r !== 'not installed');
  return new TripletkitError(
    'E_BACKEND',
    broken.length
      ? `The tensorflow backend could not start: ${broken.join('; ')}.`
      : 'The tensorflow backend needs @tensorflow/tfjs-node-gpu (CUDA) or @tensorflow/tfjs-node, and neither is installed.',
    {
      hint:
        'In the tripletkit repository run `pnpm tensorflow:install` (CPU; works offline from a local TensorFlow wheel) ' +
        'or `pnpm tensorflow:install --gpu` (CUDA). Elsewhere: `npm install @tensorflow/tfjs-node@4.22.0` next to ' +
        'tripletkit, with install scripts allowed. Or use --backend wasm.',
    },
  );
}

/** Whether `pkg` can be found (next to the trainer or in a `.tensorflow/` folder) without loading it. */
function findable(pkg: string): boolean {
  try {
    require.resolve(`${pkg}/package.json`);
    return true;
  } catch {
    return tensorflowInstallDirs().some((dir) => fs.existsSync(path.join(dir, 'node_modules', pkg, 'package.json')));
  }
}

/** Starts libtensorflow from the first native package that loads; the reasons each failed otherwise. */
async function startTensorflow(): Promise<BackendInfo | string[]> {
  const reasons: string[] = [];
  for (const pkg of NATIVE) {
    const failed = await tryNative(pkg);
    if (failed === undefined) {
      await tf.setBackend('tensorflow');
      const device = usingGpu() ? 'CUDA' : 'CPU';
      return {
        name: 'tensorflow',
        package: pkg,
        description: `tensorflow (${pkg}, libtensorflow ${libtensorflowVersion()}, ${device})`,
      };
    }
    reasons.push(failed);
  }
  return reasons;
}

async function startWasm(): Promise<BackendInfo> {
  await useWasm();
  const native = loadNativeGemm();
  const conv = native.addon
    ? `native ${native.addon.info().isa} convolutions`
    : `wasm convolutions; native addon ${native.reason}`;
  return { name: 'wasm', package: '@tensorflow/tfjs-backend-wasm', description: `wasm (XNNPACK SIMD, ${conv})` };
}

async function startCpu(): Promise<BackendInfo> {
  await useCpu();
  return { name: 'cpu', package: '@tensorflow/tfjs-backend-cpu', description: 'cpu (plain JavaScript, slow)' };
}

/**
 * `auto`: tfjs-node-gpu on a CUDA device; else the CPU backend measured faster for the encoder (autoBackend.ts),
 * falling back along its order when one fails to start. The reason goes into the description.
 */
async function selectAuto(options: SelectBackendOptions): Promise<BackendInfo> {
  let cuda = false;
  let tensorflowLoaded = false;
  // Only the GPU package is loaded to look for a device; the CPU one is loaded only if chosen.
  if (findable(NATIVE[0]) && (await tryNative(NATIVE[0])) === undefined) {
    tensorflowLoaded = true;
    await tf.setBackend('tensorflow');
    cuda = usingGpu();
  }
  const { order, reason } = chooseAuto({
    cuda,
    tensorflow: tensorflowLoaded || NATIVE.some(findable),
    nativeKernels: loadNativeGemm().addon !== undefined,
    encoder: options.encoder,
  });
  const failures: string[] = [];
  for (const name of order) {
    try {
      const started =
        name === 'tensorflow' ? await startTensorflow() : name === 'wasm' ? await startWasm() : await startCpu();
      if (Array.isArray(started)) {
        failures.push(`tensorflow failed to start (${started.join('; ')})`);
        continue;
      }
      const why = [reason, ...failures].join('; ');
      return { ...started, description: `${started.description} — auto: ${why}`, reason: why };
    } catch (err) {
      failures.push(`${name} failed to start (${(err as Error).message})`);
    }
  }
  throw new TripletkitError('E_BACKEND', `No backend could start: ${failures.join('; ')}.`, {
    hint: 'Reinstall tripletkit (its @tensorflow/tfjs-backend-wasm and -cpu dependencies).',
  });
}

/**
 * Activates a backend. `auto` chooses by evidence (autoBackend.ts): tfjs-node-gpu when libtensorflow reports a
 * CUDA device, else the CPU backend the three-way benchmark measured faster for `options.encoder`; wasm gets the
 * training kernels it lacks registered. Idempotent for the same choice (the first `auto` decides for the process).
 *
 * @example
 * const b = await selectBackend('auto', { encoder: 'small-cnn' });
 * console.error(`backend: ${b.description}`);
 */
export async function selectBackend(
  choice: BackendChoice = trainOptionSpecs.backend.default,
  options: SelectBackendOptions = {},
): Promise<BackendInfo> {
  expectOneOf('backend', choice, BACKEND_CHOICES);
  if (current && (choice === 'auto' || choice === current.name)) return current;
  if (choice === 'auto') {
    current = await selectAuto(options);
    return current;
  }
  if (choice === 'tensorflow') {
    const started = await startTensorflow();
    if (Array.isArray(started)) throw notInstalled(started);
    current = started;
    return current;
  }
  if (choice === 'wasm') {
    try {
      current = await startWasm();
      return current;
    } catch (err) {
      throw new TripletkitError('E_BACKEND', `The wasm backend could not start: ${(err as Error).message}.`, {
        hint: 'Reinstall @tensorflow/tfjs-backend-wasm@4.22.0, or use --backend cpu (much slower).',
        cause: err,
      });
    }
  }
  current = await startCpu();
  return current;
}
