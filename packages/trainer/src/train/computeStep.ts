/**
 * One training step's forward/backward on one batch (on the calling thread): embed each distinct image once with the
 * shared encoder, build the distance matrix, mine online (or take the given triplets), and return the gradient of
 * the SUMMED loss with the counts needed to reduce it — so a step split over workers combines exactly.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { type Normalization, pixelsToTensor } from '../data/pixels.ts';
import { leanVariableGrads } from '../gradients/leanVariableGrads.ts';
import { pairwiseDistances, type Reduction, tripletLossFromMatrix } from '../loss/tripletLoss.ts';
import { type BatchTriplets, mineBatch, needsDistanceMatrix, type OnlineMining } from '../mining/batchTriplets.ts';

/** What a step needs besides the batch. */
export interface StepConfig {
  shape: [number, number, number];
  normalization: Normalization;
  margin: number;
  reduction: Reduction;
  /** Online mining strategy; absent in offline mode (triplets given). */
  mining?: OnlineMining;
}

/** One batch: its distinct images, and either its triplets (offline) or its labels (online). */
export interface StepInput {
  pixels: Uint8Array;
  rows: number;
  triplets?: BatchTriplets;
  labels?: Int32Array;
}

/** Result of {@link computeStep}. */
export interface StepResult {
  /** d(Σ loss)/dw for each trainable weight, in `model.trainableWeights` order. */
  grads: tf.Tensor[];
  lossSum: number;
  active: number;
  count: number;
}

/**
 * @example
 * const r = computeStep(model, { pixels, rows: 128, labels }, config); // then divide r.grads by lossDenominator(...)
 */
export function computeStep(model: tfl.LayersModel, input: StepInput, config: StepConfig): StepResult {
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  let active = 0;
  let count = 0;
  const x = pixelsToTensor(input.pixels, input.rows, config.shape, config.normalization);
  const { value, grads } = leanVariableGrads(() => {
    const e = model.apply(x, { training: true }) as tf.Tensor2D;
    const d = pairwiseDistances(e);
    let t = input.triplets;
    if (!t) {
      if (!config.mining || !input.labels) throw new Error('online step without mining strategy or labels');
      const dim = e.shape[1];
      const values = e.dataSync() as Float32Array;
      for (let i = 0; i < values.length; i++) {
        // Diverged weights: report a NaN loss (the trainer stops cleanly) rather than mining garbage.
        if (!Number.isFinite(values[i])) return tf.mul(tf.sum(e), Number.NaN) as tf.Scalar;
      }
      t = mineBatch(
        config.mining,
        values,
        dim,
        input.labels,
        config.margin,
        needsDistanceMatrix(config.mining) ? (d.dataSync() as Float32Array) : undefined,
      );
    }
    if (t.anchors.length === 0) {
      // Nothing to learn from this batch: a zero loss that still depends on the weights (zero gradients).
      return tf.mul(tf.sum(e), 0) as tf.Scalar;
    }
    const parts = tripletLossFromMatrix(d, t.anchors, t.positives, t.negatives, {
      margin: config.margin,
      reduction: config.reduction,
    });
    active = parts.active;
    count = parts.count;
    return parts.sum;
  }, vars);
  const lossSum = value.dataSync()[0];
  const ordered = vars.map((v) => grads[v.name] ?? tf.zerosLike(v));
  value.dispose();
  x.dispose();
  return { grads: ordered, lossSum, active, count };
}
