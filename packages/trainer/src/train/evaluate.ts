/**
 * Embedding a whole image set in batches (no gradients) and scoring it with the miner's retrieval metrics.
 */

import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { retrievalMetrics } from '@tripletkit/miner';
import { type ImageSet, pixelRange } from '../data/imageSet.ts';
import { type Normalization, pixelsToTensor } from '../data/pixels.ts';

/**
 * Embeddings [rows, D] of every image of `set`, `batchSize` images at a time.
 *
 * @example
 * const emb = embedSet(model, val, norm); // Float32Array rows × D
 */
export function embedSet(model: tfl.LayersModel, set: ImageSet, norm: Normalization, batchSize = 256): Float32Array {
  const dim = model.outputs[0].shape[1] as number;
  const out = new Float32Array(set.rows * dim);
  for (let r = 0; r < set.rows; r += batchSize) {
    const n = Math.min(batchSize, set.rows - r);
    const e = tf.tidy(() => {
      const x = pixelsToTensor(pixelRange(set, r, n), n, set.shape, norm);
      return model.predict(x) as tf.Tensor;
    });
    out.set(e.dataSync(), r * dim);
    e.dispose();
  }
  return out;
}

/** Leave-one-out precision@1 of `set` against itself (PML AccuracyCalculator's precision_at_1). */
export function precisionAt1(model: tfl.LayersModel, set: ImageSet, norm: Normalization): number {
  const dim = model.outputs[0].shape[1] as number;
  const emb = embedSet(model, set, norm);
  return retrievalMetrics(emb, dim, set.labels).precisionAt1;
}
