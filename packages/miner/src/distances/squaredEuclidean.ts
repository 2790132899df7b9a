import type { Distance } from './distance.ts';
import { KIND_SQUARED } from './jsKernel.ts';

/**
 * Squared Euclidean distance: max(0, ‖a‖² + ‖b‖² − 2a·b) in the tile kernel. PML's LpDistance(power=2).
 *
 * @example
 * getDistance('squared-euclidean').needsNorms; // true
 */
export const squaredEuclidean: Distance<'squared-euclidean'> = {
  name: 'squared-euclidean',
  pml: 'LpDistance(power=2)',
  isSimilarity: false,
  needsNorms: true,
  searchNormalizes: false,
  kernel: KIND_SQUARED,
  dissimilarity(x, a, y, b, dim) {
    let s = 0;
    for (let k = 0; k < dim; k++) s += (x[a + k] - y[b + k]) ** 2;
    return s;
  },
  matrix(ops, e) {
    const sq = ops.sum(ops.square(e), 1);
    const dot = ops.matMul(e, e, false, true);
    return ops.maximum(ops.sub(ops.add(ops.reshape(sq, [-1, 1]), ops.reshape(sq, [1, -1])), ops.mul(dot, 2)), 0);
  },
};
