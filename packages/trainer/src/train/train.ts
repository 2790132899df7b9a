/**
 * `train()`: the trainer's entry point (what `tripletkit train` calls). It runs the phases in order — setup (backend,
 * data, model, resume: setup.ts), the epoch loop (epochLoop.ts, one step in trainStep.ts) with re-mining (remine.ts)
 * and checkpoint hooks (checkpointHooks.ts) — offline (mined triplets) or online (P×K + mining), with a JSONL log,
 * validation P@1 and clean Ctrl-C handling.
 */
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { checkOutput, lockFolder } from '@tripletkit/common';
import { runEpoch } from './epochLoop.ts';
import { setupTraining } from './setup.ts';
import {
  type EpochLog,
  type TrainOptions,
  type TrainResult,
  type ValidTrainOptions,
  validateTrainOptions,
} from './trainOptions.ts';

export type { EpochLog, StepLog, TrainOptions, TrainResult } from './trainOptions.ts';

/**
 * Trains a shared encoder with a triplet loss.
 *
 * @example
 * const r = await train({ images: 'train.arrow', mining: 'semi-hard', val: 'val.arrow', out: 'runs/mnist', epochs: 5 });
 * console.log(r.bestPrecisionAt1, r.modelDir);
 */
export async function train(options: TrainOptions): Promise<TrainResult> {
  const o = validateTrainOptions(options);
  // One run per --out folder: two would interleave train.jsonl and overwrite each other's checkpoints.
  await checkOutput(options.out, '--out folder', 'folder');
  const release = await lockFolder(options.out, '--out folder', 'tripletkit train');
  try {
    return await trainLocked(options, o);
  } finally {
    await release();
  }
}

async function trainLocked(options: TrainOptions, o: ValidTrainOptions): Promise<TrainResult> {
  const run = await setupTraining(options, o);
  const { state } = run;
  await fs.mkdir(run.out, { recursive: true });
  const logStream = createWriteStream(path.join(run.out, 'train.jsonl'), { flags: options.resume ? 'a' : 'w' });
  const writeLog = (entry: object) => logStream.write(`${JSON.stringify(entry)}\n`);
  const epochs: EpochLog[] = [];
  let totalImages = 0;
  let totalSeconds = 0;
  try {
    for (; state.epoch < o.epochs; state.epoch++, state.step = 0) {
      const { entry, images } = await runEpoch(run, writeLog);
      totalImages += images;
      totalSeconds += entry.seconds;
      epochs.push(entry);
    }
  } finally {
    run.optimizer.dispose();
    await run.trainSet.close();
    await run.valSet?.close();
    await run.engine?.close();
    await new Promise<void>((resolve) => logStream.end(resolve));
  }
  return {
    out: run.out,
    modelDir: run.modelDir,
    backend: run.backend.name,
    backendReason: run.backend.reason ?? null,
    mode: run.mode,
    epochs,
    bestPrecisionAt1: state.bestPrecisionAt1,
    imagesPerSecond: totalSeconds ? totalImages / totalSeconds : 0,
  };
}
