import type { Distance } from './distance.ts';
import { KIND_EUCLIDEAN } from './jsKernel.ts';
import { squaredGram, sumSquaredDiff } from './squaredEuclidean.ts';

/**
 * Euclidean distance: √max(0, ‖a‖² + ‖b‖² − 2a·b) in the tile kernel. PML's LpDistance(p=2), the default.
 *
 * @example
 * getDistance('euclidean').isSimilarity; // false
 */
export const euclidean: Distance<'euclidean'> = {
  name: 'euclidean',
  pml: 'LpDistance(p=2)',
  isSimilarity: false,
  needsNorms: true,
  searchNormalizes: false,
  kernel: KIND_EUCLIDEAN,
  dissimilarity: (x, a, y, b, dim) => Math.sqrt(sumSquaredDiff(x, a, y, b, dim)),
  // The 1e-12 floor keeps the gradient finite for identical rows (it is 0 there, as torch.cdist's).
  matrix: (ops, e) => ops.sqrt(ops.maximum(squaredGram(ops, e), 1e-12)),
};
