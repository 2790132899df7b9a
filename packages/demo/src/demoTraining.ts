/**
 * The demo's training step, through the trainer library exactly as `tripletkit train` and `tripletkit embed` use it:
 * online semi-hard mining on P×K batches with the small CNN, then the held-out split embedded by the untrained
 * encoder (same seed, so the same initial weights) and by the trained one.
 */
import path from 'node:path';
import { readEmbeddings } from '@tripletkit/miner';
import { buildEncoder, embedImages, type StepLog, train } from '@tripletkit/trainer';
import type { EpochPoint } from './writeReport.ts';

/** Inputs of {@link trainForDemo}. */
export interface DemoTrainingOptions {
  trainImages: string;
  testImages: string;
  /** Training run folder (model/, checkpoint/, train.jsonl) and embeddings/. */
  runDir: string;
  epochs: number;
  seed: number;
  backend: string;
  signal?: AbortSignal;
  log: (line: string) => void;
}

/** What the demo needs from training. */
export interface DemoTraining {
  encoder: string;
  backend: string;
  dim: number;
  /** Classes per batch (P) and images per class (K). */
  p: number;
  k: number;
  epochs: EpochPoint[];
  /** Held-out embeddings with the initial weights. */
  before: Float32Array;
  /** Held-out embeddings with the trained weights. */
  after: Float32Array;
  /** Where the trained held-out embeddings were written (for `tripletkit eval`). */
  embeddingsFile: string;
  modelDir: string;
  trainSeconds: number;
  embedSeconds: number;
  imagesPerSecond: number;
}

/**
 * @example
 * const t = await trainForDemo({ trainImages, testImages, runDir: 'demo/run', epochs: 5, seed: 0, backend: 'auto', log });
 */
export async function trainForDemo(o: DemoTrainingOptions): Promise<DemoTraining> {
  const encoder = 'small-cnn';
  const embeddingDim = 64;
  const P = 10;
  const K = 12;
  // Valid triplets of a P×K batch: every anchor pairs with K−1 positives and (P−1)·K negatives.
  const validPerBatch = P * K * (K - 1) * (P - 1) * K;
  const mined = new Map<number, { triplets: number; steps: number }>();
  const t0 = performance.now();
  o.log(`demo: training ${encoder} with online semi-hard mining for ${o.epochs} epochs`);
  const result = await train({
    images: o.trainImages,
    mining: 'semi-hard',
    out: o.runDir,
    encoder,
    embeddingDim,
    epochs: o.epochs,
    // All 10 digits in every batch, 12 of each: 120 images, enough positives and negatives for semi-hard mining.
    p: P,
    k: K,
    seed: o.seed,
    backend: o.backend as never,
    signal: o.signal,
    log: (line) => o.log(`train: ${line}`),
    onStep: (st: StepLog) => {
      const m = mined.get(st.epoch) ?? { triplets: 0, steps: 0 };
      m.triplets += st.triplets;
      m.steps++;
      mined.set(st.epoch, m);
    },
  });
  const t1 = performance.now();

  o.log('demo: embedding the held-out split before and after training');
  const embDir = path.join(o.runDir, 'embeddings');
  const untrained = buildEncoder(encoder, { inputShape: [28, 28, 1], embeddingDim, seed: o.seed });
  const beforeFile = path.join(embDir, 'test-untrained.arrow');
  const afterFile = path.join(embDir, 'test.arrow');
  await embedImages(untrained, o.testImages, beforeFile, { backend: o.backend as never });
  untrained.dispose();
  await embedImages(result.modelDir, o.testImages, afterFile, { backend: o.backend as never });
  const before = await readEmbeddings(beforeFile);
  const after = await readEmbeddings(afterFile);
  const t2 = performance.now();
  return {
    encoder,
    backend: result.backend,
    p: P,
    k: K,
    dim: after.dim,
    epochs: result.epochs.map((e) => {
      const m = mined.get(e.epoch);
      return {
        epoch: e.epoch,
        loss: e.loss,
        activeFraction: e.activeFraction,
        minedFraction: m && m.steps > 0 ? m.triplets / m.steps / validPerBatch : null,
      };
    }),
    before: before.embeddings,
    after: after.embeddings,
    embeddingsFile: afterFile,
    modelDir: result.modelDir,
    trainSeconds: (t1 - t0) / 1000,
    embedSeconds: (t2 - t1) / 1000,
    imagesPerSecond: result.imagesPerSecond,
  };
}
