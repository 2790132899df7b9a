/**
 * Online mining: which triplets of a batch enter the loss. Uses the miner library's strategy registry — the same
 * strategy code as `tripletkit mine`, plus the strategies registered as batch rules on the distance matrix (the TF
 * Addons/sentence-transformers semi-hard rule).
 */
import { type BatchTriplets, getOnlineStrategy, mine, type OnlineMining, type Strategy } from '@tripletkit/miner';

/** `--mining` choices, from the miner's registry. `batch-all` is PML's TripletMarginMiner("all"). */
export { type BatchTriplets, ONLINE_MINING, type OnlineMining, semiHardTfa } from '@tripletkit/miner';

/**
 * Whether the strategy selects from the batch's distance matrix (which the caller then passes to {@link mineBatch}).
 *
 * @example
 * needsDistanceMatrix('semi-hard-tfa'); // true
 */
export function needsDistanceMatrix(mining: OnlineMining): boolean {
  return getOnlineStrategy(mining).fromMatrix !== undefined;
}

/**
 * Mines one batch. `embeddings` are the batch's (L2-normalised) embeddings, row-major [n, dim]; `distances` the
 * n×n Euclidean matrix (only used by strategies that select from it, see {@link needsDistanceMatrix}).
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
  const s = getOnlineStrategy(mining);
  if (s.fromMatrix) {
    if (!distances) throw new Error(`${mining} needs the distance matrix`);
    return s.fromMatrix(distances, labels.length, labels);
  }
  const strategy = s.name as Strategy;
  const t = mine(embeddings, dim, labels, { strategy, margin, distance: 'euclidean', normalize: true, workers: 0 });
  return { anchors: t.anchors, positives: t.positives, negatives: t.negatives };
}
