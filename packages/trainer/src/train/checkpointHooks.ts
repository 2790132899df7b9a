/**
 * The checkpoint hooks of {@link train}: a checkpoint when a run is interrupted, the best model and a checkpoint at
 * the end of every epoch, and the guard that never lets non-finite weights be saved (with the hint naming the last
 * good checkpoint).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type * as tfl from '@tensorflow/tfjs-layers';
import { TripletkitError } from '@tripletkit/common';
import { saveModel } from '../model/modelIO.ts';
import { saveCheckpoint } from './checkpoint.ts';
import type { TrainRun } from './setup.ts';

/**
 * Interrupted (Ctrl-C, SIGTERM, an aborted signal): saves a checkpoint of the run as it stands (if its weights are
 * finite) and returns the error to throw, which says how to continue.
 *
 * @example
 * if (signal.aborted) throw await checkpointOnInterrupt(run, epoch);
 */
export async function checkpointOnInterrupt(run: TrainRun, epoch: number): Promise<TripletkitError> {
  if (weightsFinite(run.model)) await saveRunCheckpoint(run, run.state, epoch);
  return new TripletkitError(
    'E_INTERRUPTED',
    `Training interrupted in epoch ${epoch + 1} at batch ${run.state.step}; checkpoint saved to ${run.ckDir}.`,
    { hint: 'Continue exactly where it stopped with the same command plus --resume.' },
  );
}

/** End of an epoch that scored best so far (or had no validation set): the model to use is this one. */
export async function saveBestModel(run: TrainRun, epoch: number, precisionAt1: number | null): Promise<void> {
  await saveModel(run.model, run.modelDir, run.metadata({ epoch: epoch + 1, precisionAt1 }));
}

/** End of an epoch of `steps` batches: a checkpoint that resumes at the next epoch's start. */
export async function checkpointAfterEpoch(run: TrainRun, epoch: number, steps: number): Promise<void> {
  run.state.step = steps;
  const next = { ...run.state, epoch: epoch + 1, step: 0 };
  await saveRunCheckpoint(run, next, epoch + 1);
}

/** Saves the run's checkpoint with `state` (the metadata names `epoch`). */
export function saveRunCheckpoint(run: TrainRun, state: TrainRun['state'], epoch: number): Promise<void> {
  return saveCheckpoint(run.ckDir, run.model, run.optimizer, run.metadata({ epoch }), state, run.remined);
}

/** Throws when a weight became NaN or ±Infinity (never saved), naming the checkpoint to go back to. */
export async function expectFiniteWeights(run: TrainRun, epoch: number): Promise<void> {
  if (weightsFinite(run.model)) return;
  throw new TripletkitError(
    'E_TRAINING',
    `The weights became non-finite (NaN/Infinity) in epoch ${epoch + 1}; training stopped.`,
    { hint: `${await keptCheckpoint(run.ckDir)} Lower --learning-rate.` },
  );
}

/** The NaN hint names a checkpoint only when one exists (none does before the first epoch ends). */
export async function keptCheckpoint(ckDir: string): Promise<string> {
  const exists = await fs.stat(path.join(ckDir, 'state.json')).then(
    () => true,
    () => false,
  );
  return exists
    ? `The last good checkpoint is kept in ${ckDir}: --resume continues from it, or restart.`
    : 'No checkpoint was saved yet (this happened in the first epoch): restart.';
}

function weightsFinite(model: tfl.LayersModel): boolean {
  for (const w of model.weights) {
    const v = w.read().dataSync();
    for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i])) return false;
  }
  return true;
}
