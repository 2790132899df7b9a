/**
 * Triplet margin loss in tfjs, from a batch's pairwise distance matrix: every distinct image is embedded once, the
 * matrix is computed once, and each triplet gathers its d(a,p) and d(a,n) entries (so gradients flow back into the one
 * shared encoder through every role an image plays).
 */
import * as tf from '@tensorflow/tfjs-core';
import { type DistanceKind, getDistance, type TensorOps } from '@tripletkit/miner';
import { REDUCTIONS, type Reduction } from '../train/trainOptionSpecs.ts';

// How per-triplet losses become the batch loss: declared with train's option specs (no tfjs there, for the CLI).
export { REDUCTIONS, type Reduction };

/**
 * Distance matrix [n, n] of the rows of `e` ([n, D]), Euclidean by default: sqrt(max(‖a‖² + ‖b‖² − 2a·b, 1e-12)).
 * The clamp keeps the gradient finite for identical rows (it is 0 there, as torch.cdist's).
 *
 * @example
 * const d = pairwiseDistances(tf.tensor2d([[1, 0], [0, 1]])); // [[~0, 1.414], [1.414, ~0]]
 */
export function pairwiseDistances(e: tf.Tensor2D, distance: DistanceKind = 'euclidean'): tf.Tensor2D {
  // The matrix is the registered distance's own (@tripletkit/miner's registry), computed with this tfjs.
  const ops: TensorOps<tf.Tensor> = tf;
  return tf.tidy(() => getDistance(distance).matrix(ops, e) as tf.Tensor2D);
}

/** Per-batch loss parts, in "sum" form so that data-parallel workers can be combined exactly. */
export interface TripletLossParts {
  /** Σ of per-triplet losses (scalar). */
  sum: tf.Scalar;
  /** Triplets with loss > 0. */
  active: number;
  /** Triplets in the batch. */
  count: number;
}

/**
 * Per-triplet loss: relu(d_ap − d_an + margin), or softplus(d_ap − d_an + margin) for `soft-margin` (PML's
 * smooth_loss; pass margin 0 for Hermans et al.'s soft margin).
 */
export function tripletLossParts(
  dAp: tf.Tensor1D,
  dAn: tf.Tensor1D,
  options: { margin: number; reduction: Reduction },
): TripletLossParts {
  const count = dAp.shape[0];
  const perTriplet = tf.tidy(() => {
    const v = tf.add(tf.sub(dAp, dAn), options.margin);
    return options.reduction === 'soft-margin' ? tf.softplus(v) : tf.relu(v);
  });
  const values = perTriplet.dataSync();
  let active = 0;
  for (let i = 0; i < values.length; i++) if (values[i] > 0) active++;
  const sum = tf.sum(perTriplet) as tf.Scalar;
  perTriplet.dispose();
  return { sum, active, count };
}

/**
 * The divisor that turns a summed loss into the reduced loss: PML's AvgNonZeroReducer (default) averages over
 * triplets with loss > 0 (0 when none); `mean` and `soft-margin` average over all triplets.
 */
export function lossDenominator(reduction: Reduction, active: number, count: number): number {
  const n = reduction === 'nonzero-mean' ? active : count;
  return Math.max(n, 1);
}

/**
 * Σ of per-triplet losses straight from the distance matrix, without a tensor per triplet (batch-all on a 128-image
 * batch has ~10⁵ triplets): the matrix is read once, each triplet's loss and its derivative w.r.t. v = d_ap − d_an + m
 * (1 or 0 for the hinge, σ(v) for soft-margin) are computed in JS, and the loss is returned as
 * Σ D ⊙ W + c, where W[a,p] += ∂, W[a,n] −= ∂ (held constant) and c makes the value exact. Its value and its gradient
 * w.r.t. D equal those of gathering every d_ap, d_an (tested against finite differences).
 *
 * @example
 * const { sum, active } = tripletLossFromMatrix(d, t.anchors, t.positives, t.negatives, { margin: 0.2, reduction });
 */
export function tripletLossFromMatrix(
  distances: tf.Tensor2D,
  anchors: Int32Array,
  positives: Int32Array,
  negatives: Int32Array,
  options: { margin: number; reduction: Reduction },
): TripletLossParts {
  const n = distances.shape[0];
  const d = distances.dataSync();
  const w = new Float32Array(n * n);
  const soft = options.reduction === 'soft-margin';
  let total = 0;
  let active = 0;
  for (let t = 0; t < anchors.length; t++) {
    const ap = anchors[t] * n + positives[t];
    const an = anchors[t] * n + negatives[t];
    const v = d[ap] - d[an] + options.margin;
    if (Number.isNaN(v)) {
      // Diverged embeddings: the loss must say so (a hinge would silently map NaN to 0).
      total = Number.NaN;
      continue;
    }
    let loss: number;
    let slope: number;
    if (soft) {
      // softplus(v) = log(1 + e^v), computed stably; its derivative is σ(v).
      loss = v > 0 ? v + Math.log1p(Math.exp(-v)) : Math.log1p(Math.exp(v));
      slope = 1 / (1 + Math.exp(-v));
    } else {
      loss = Math.max(v, 0);
      slope = v > 0 ? 1 : 0;
    }
    if (loss > 0) active++;
    total += loss;
    w[ap] += slope;
    w[an] -= slope;
  }
  let linear = 0;
  for (let i = 0; i < w.length; i++) if (w[i] !== 0) linear += w[i] * d[i];
  const sum = tf.tidy(() =>
    tf.add(tf.sum(tf.mul(distances, tf.tensor2d(w, [n, n]))), tf.scalar(total - linear)),
  ) as tf.Scalar;
  return { sum, active, count: anchors.length };
}

/**
 * The reduced triplet loss of a batch from its distance matrix and triplets (row indices into the matrix).
 *
 * @example
 * const loss = tripletLoss(d, anchors, positives, negatives, { margin: 0.2, reduction: 'nonzero-mean' });
 */
export function tripletLoss(
  distances: tf.Tensor2D,
  anchors: Int32Array,
  positives: Int32Array,
  negatives: Int32Array,
  options: { margin: number; reduction: Reduction },
): { loss: tf.Scalar; active: number; count: number } {
  const parts = tripletLossFromMatrix(distances, anchors, positives, negatives, options);
  const loss = tf.div(parts.sum, lossDenominator(options.reduction, parts.active, parts.count)) as tf.Scalar;
  parts.sum.dispose();
  return { loss, active: parts.active, count: parts.count };
}

/** d(a,p) and d(a,n) for each triplet, gathered from the distance matrix (gradient: a scatter back into it). */
export function gatherTripletDistances(
  distances: tf.Tensor2D,
  anchors: Int32Array,
  positives: Int32Array,
  negatives: Int32Array,
): { dAp: tf.Tensor1D; dAn: tf.Tensor1D } {
  const n = distances.shape[0];
  return tf.tidy(() => {
    // Flat indices into the matrix: one gather on a 1-D view (cheaper than gatherND, same gradient).
    const flat = tf.reshape(distances, [-1]);
    const ap = new Int32Array(anchors.length);
    const an = new Int32Array(anchors.length);
    for (let i = 0; i < anchors.length; i++) {
      ap[i] = anchors[i] * n + positives[i];
      an[i] = anchors[i] * n + negatives[i];
    }
    return {
      dAp: tf.gather(flat, tf.tensor1d(ap, 'int32')) as tf.Tensor1D,
      dAn: tf.gather(flat, tf.tensor1d(an, 'int32')) as tf.Tensor1D,
    };
  });
}
