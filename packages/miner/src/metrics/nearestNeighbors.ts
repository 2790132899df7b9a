import { expectPositiveInteger } from '@tripletkit/common';
import { checkEmbeddings, type DistanceOptions, resolveDistance } from './checks.ts';
import { neighborBlocksFor } from './neighborBlocks.ts';

/** Options of {@link nearestNeighbors}. */
export interface NearestNeighborsOptions extends DistanceOptions {
  /** Search here instead of among the queries themselves (then a query may retrieve its own duplicate). */
  reference?: Float32Array;
}

/** The k nearest references of every query. */
export interface NearestNeighbors {
  /** Neighbours per query (the requested k, or fewer when there are fewer references). */
  k: number;
  /** `indices[q*k + j]`: reference row of the j-th nearest neighbour of query q (nearest first). */
  indices: Int32Array;
  /** `values[q*k + j]`: its distance (similarity for `cosine`). */
  values: Float32Array;
}

/**
 * Exact k-nearest-neighbour search, streamed over distance tiles (memory: queries × k, never queries × references).
 * Without `reference`, the queries are searched among themselves and a query never retrieves itself (by row index).
 * Neighbours are sorted nearest first; ties go to the smaller reference row index.
 *
 * @example
 * const { indices } = nearestNeighbors(testEmb, 64, 5, { reference: trainEmb });
 * indices.subarray(0, 5); // the 5 training rows nearest to test row 0
 */
export function nearestNeighbors(
  query: Float32Array,
  dim: number,
  k: number,
  options: NearestNeighborsOptions = {},
): NearestNeighbors {
  const queryRows = checkEmbeddings('query', query, dim);
  expectPositiveInteger('k', k);
  const o = resolveDistance(options);
  const sameSource = options.reference === undefined;
  const referenceRows = sameSource ? queryRows : checkEmbeddings('reference', options.reference, dim);
  const kk = Math.max(0, Math.min(k, referenceRows - (sameSource ? 1 : 0)));
  const indices = new Int32Array(queryRows * kk);
  const values = new Float32Array(queryRows * kk);
  const blocks = neighborBlocksFor(query, queryRows, options.reference, referenceRows, dim, o, kk);
  for (const b of blocks) {
    indices.set(b.indices, b.start * kk);
    values.set(b.values, b.start * kk);
  }
  return { k: kk, indices, values };
}
