/**
 * One training step: the gradients of the batch (on the worker threads, or here), then one Adam update — on the
 * backend's variables for tensorflow, on host copies of the weights for wasm/cpu. While workers compute, the next
 * step's pixels are read (see BatchPrefetcher).
 */
import * as tf from '@tensorflow/tfjs-core';
import { TripletkitError } from '@tripletkit/common';
import { lossDenominator } from '../loss/tripletLoss.ts';
import { keptCheckpoint } from './checkpointHooks.ts';
import { computeStep, type StepInput } from './computeStep.ts';
import type { TrainRun } from './setup.ts';

/** What a step reports, and the next step's inputs (prepared during it). */
export interface StepOutcome {
  loss: number;
  active: number;
  count: number;
  next: StepInput[];
}

/**
 * Runs one step on `inputs` (one per worker) and updates the weights; `prepareNext` gathers the next step's inputs.
 * Throws E_TRAINING, before any update, when the loss is not finite.
 *
 * @example
 * const { loss, next } = await trainStep(run, inputs, () => prepare(step + 1), epoch);
 */
export async function trainStep(
  run: TrainRun,
  inputs: StepInput[],
  prepareNext: () => Promise<StepInput[]>,
  epoch: number,
): Promise<StepOutcome> {
  const { model, engine, config, o } = run;
  let lossSum: number;
  let active: number;
  let count: number;
  let grads: Float32Array[] | undefined;
  let gradTensors: tf.Tensor[] | undefined;
  let next: StepInput[];
  if (engine) {
    const weights = model.weights.map((w) => w.read().dataSync() as Float32Array);
    const pending = engine.step(inputs, weights);
    // Overlap: gather (and augment) the next step's pixels while the workers compute.
    const nextInputs = prepareNext();
    const r = await pending;
    next = await nextInputs;
    ({ lossSum, active, count, grads } = r);
    tf.tidy(() => {
      model.nonTrainableWeights.forEach((w, i) => {
        w.write(tf.tensor(r.state[i], w.shape as number[], 'float32'));
      });
    });
  } else {
    const r = computeStep(model, inputs[0], config);
    ({ lossSum, active, count } = r);
    if (run.onDevice) gradTensors = r.grads;
    else {
      grads = r.grads.map((g) => g.dataSync() as Float32Array);
      tf.dispose(r.grads);
    }
    next = await prepareNext();
  }
  const denom = lossDenominator(o.reduction, active, count);
  const loss = lossSum / denom;
  if (!Number.isFinite(loss)) {
    tf.dispose(gradTensors);
    throw new TripletkitError(
      'E_TRAINING',
      `The loss became ${loss} in epoch ${epoch + 1} at batch ${run.state.step}; training stopped.`,
      { hint: `${await keptCheckpoint(run.ckDir)} Lower --learning-rate, check the images for corrupt values.` },
    );
  }
  if (gradTensors) {
    run.optimizer.applyToVariables(run.vars, gradTensors, 1 / denom);
    tf.dispose(gradTensors);
  } else if (grads) {
    const params = run.vars.map((v) => Float32Array.from(v.dataSync()));
    run.optimizer.apply(params, grads, 1 / denom);
    tf.tidy(() => {
      run.vars.forEach((v, i) => {
        v.assign(tf.tensor(params[i], v.shape, 'float32'));
      });
    });
  }
  return { loss, active, count, next };
}
