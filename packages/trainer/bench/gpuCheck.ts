/**
 * `pnpm --filter @tripletkit/trainer bench gpu-check`: on a CUDA machine after `pnpm tensorflow:install --gpu`,
 * 1. verifies that the tensorflow backend is @tensorflow/tfjs-node-gpu and that libtensorflow placed its ops on a GPU
 *    (exit 1 with the reason otherwise),
 * 2. trains the demo's encoder (small-cnn, online semi-hard, P×K 10×13) on 2,000 MNIST digits for 2 epochs with the
 *    trainer itself and prints images/s,
 * 3. prints the fraction of a training step spent in host↔device transfers: the step's uploads (the batch's pixels,
 *    the loss weights) and downloads (embeddings, distance matrix, loss) are timed on their own, with no GPU work
 *    queued, and divided by the measured step time.
 * On a CPU-only machine it says so and exits 1; `bench gpu-check --allow-cpu` runs steps 2–3 anyway (a dry run of
 * the script itself on tfjs-node).
 */
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend, train } from '../src/index.ts';
import { tempDir } from '../test/helpers/fixtures.ts';
import { mnistDigits, writeDigits } from '../test/helpers/mnistImages.ts';

const P = 10;
const K = 13;

function fail(message: string): never {
  console.log(`gpu-check: FAILED: ${message}`);
  process.exit(1);
}

/** Median milliseconds of `fn` over `n` runs. */
function median(n: number, fn: () => void): number {
  const t: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    fn();
    t.push(performance.now() - t0);
  }
  return t.sort((a, b) => a - b)[Math.floor(n / 2)];
}

export async function run(): Promise<void> {
  let backend: Awaited<ReturnType<typeof selectBackend>>;
  try {
    backend = await selectBackend('tensorflow');
  } catch (err) {
    fail(`${(err as Error).message} (run pnpm tensorflow:install --gpu)`);
  }
  console.log(`gpu-check: ${backend.description}`);
  const b = tf.backend() as unknown as { isUsingGpuDevice?: boolean; binding?: { TF_Version?: string } };
  const allowCpu = process.argv.includes('--allow-cpu');
  if (allowCpu && !b.isUsingGpuDevice) console.log('gpu-check: --allow-cpu: no GPU; timing the CPU path (dry run)');
  else if (backend.package !== '@tensorflow/tfjs-node-gpu') fail('the CPU package @tensorflow/tfjs-node is in use');
  else if (!b.isUsingGpuDevice) {
    fail(
      'libtensorflow found no GPU device. tfjs-node-gpu 4.22 (libtensorflow 2.9.1) needs an NVIDIA driver ≥ 450, ' +
        'CUDA 11.2 (libcudart.so.11.0) and cuDNN 8.1 on LD_LIBRARY_PATH; its log lines above name the missing library.',
    );
  } else console.log('gpu-check: GPU device in use ✓');

  const dir = await tempDir();
  const images = path.join(dir, 'digits.arrow');
  await writeDigits(images, mnistDigits(0, 2000));
  const stamps: number[] = [];
  const r = await train({
    images,
    mining: 'semi-hard',
    p: P,
    k: K,
    epochs: 2,
    out: path.join(dir, 'run'),
    backend: 'tensorflow',
    // Second epoch only: the first includes cuDNN autotuning and kernel compilation.
    onStep: (s) => {
      if (s.epoch === 2) stamps.push(performance.now());
    },
  });
  const rate = r.epochs[1].imagesPerSecond;
  console.log(`gpu-check: demo training (small-cnn, 2,000 digits, 2 epochs): ${rate.toFixed(0)} images/s in epoch 2`);

  // What one step moves between host and device, timed alone.
  const n = P * K;
  const pixels = new Uint8Array(n * 28 * 28);
  const up = median(21, () => {
    const t = tf.tensor4d(pixels, [n, 28, 28, 1], 'int32');
    const w = tf.tensor2d(new Float32Array(n * n), [n, n]);
    tf.sum(t).dataSync(); // forces the upload; the reduction's result is one scalar
    tf.sum(w).dataSync();
    tf.dispose([t, w]);
  });
  const emb = tf.randomNormal([n, 64]);
  const dist = tf.randomNormal([n, n]);
  emb.dataSync();
  const down = median(21, () => {
    const a = tf.add(emb, 0);
    const d = tf.add(dist, 0);
    a.dataSync();
    d.dataSync();
    tf.dispose([a, d]);
  });
  tf.dispose([emb, dist]);
  const perStep = (stamps[stamps.length - 1] - stamps[0]) / Math.max(1, stamps.length - 1);
  const transfers = up + down;
  console.log(
    `gpu-check: per step ${perStep.toFixed(1)} ms, host transfers ${transfers.toFixed(2)} ms (up ${up.toFixed(2)}, down ${down.toFixed(2)}): ` +
      `${((100 * transfers) / perStep).toFixed(1)}% of the step (${os.cpus()[0]?.model ?? 'cpu'})`,
  );
}
