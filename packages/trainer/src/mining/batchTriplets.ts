/**
 * Online mining: which triplets of a batch enter the loss. Uses the miner library — the same strategy code as
 * `tripletkit mine` — on the batch's embeddings, plus the TF-Addons/sentence-transformers semi-hard rule.
 */
import { mine } from '@tripletkit/miner';

/** `--mining` choices. `batch-all` is PML's TripletMarginMiner("all") (every triplet that violates the margin). */
export type OnlineMining = 'semi-hard' | 'semi-hard-tfa' | 'hard' | 'batch-hard' | 'batch-all';
export const ONLINE_MINING: readonly OnlineMining[] = ['semi-hard', 'semi-hard-tfa', 'hard', 'batch-hard', 'batch-all'];

/** Triplets as row indices into the batch. */
export interface BatchTriplets {
  anchors: Int32Array;
  positives: Int32Array;
  negatives: Int32Array;
}

/**
 * TF Addons `triplet_semihard_loss` selection: for every positive pair (a, p), the nearest negative farther than p
 * (d_an > d_ap); when there is none, the farthest negative. Anchors without a negative are skipped.
 *
 * @example
 * const t = semiHardTfa(distances, n, labels); // distances: row-major n×n
 */
export function semiHardTfa(distances: Float32Array, n: number, labels: Int32Array): BatchTriplets {
  const a: number[] = [];
  const p: number[] = [];
  const ng: number[] = [];
  for (let i = 0; i < n; i++) {
    const row = i * n;
    for (let j = 0; j < n; j++) {
      if (j === i || labels[j] !== labels[i]) continue;
      const dap = distances[row + j];
      let semi = -1;
      let semiD = Number.POSITIVE_INFINITY;
      let far = -1;
      let farD = Number.NEGATIVE_INFINITY;
      for (let k = 0; k < n; k++) {
        if (labels[k] === labels[i]) continue;
        const d = distances[row + k];
        if (d > dap && d < semiD) {
          semiD = d;
          semi = k;
        }
        if (d > farD) {
          farD = d;
          far = k;
        }
      }
      const pick = semi >= 0 ? semi : far;
      if (pick < 0) continue;
      a.push(i);
      p.push(j);
      ng.push(pick);
    }
  }
  return { anchors: Int32Array.from(a), positives: Int32Array.from(p), negatives: Int32Array.from(ng) };
}

/**
 * Mines one batch. `embeddings` are the batch's (L2-normalised) embeddings, row-major [n, dim]; `distances` the
 * n×n Euclidean matrix (only used by `semi-hard-tfa`).
 *
 * @example
 * const t = mineBatch('semi-hard', emb, 64, labels, 0.2, dist);
 */
export function mineBatch(
  mining: OnlineMining,
  embeddings: Float32Array,
  dim: number,
  labels: Int32Array,
  margin: number,
  distances?: Float32Array,
): BatchTriplets {
  if (mining === 'semi-hard-tfa') {
    if (!distances) throw new Error('semi-hard-tfa needs the distance matrix');
    return semiHardTfa(distances, labels.length, labels);
  }
  const strategy = mining === 'batch-all' ? 'all' : mining;
  const t = mine(embeddings, dim, labels, { strategy, margin, distance: 'euclidean', normalize: true, workers: 0 });
  return { anchors: t.anchors, positives: t.positives, negatives: t.negatives };
}
