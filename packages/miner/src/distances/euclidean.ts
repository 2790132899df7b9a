import type { Distance } from './distance.ts';
import { KIND_EUCLIDEAN } from './jsKernel.ts';

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
  dissimilarity(x, a, y, b, dim) {
    let s = 0;
    for (let k = 0; k < dim; k++) s += (x[a + k] - y[b + k]) ** 2;
    return Math.sqrt(s);
  },
  // The 1e-12 floor keeps the gradient finite for identical rows (it is 0 there, as torch.cdist's).
  matrix(ops, e) {
    const sq = ops.sum(ops.square(e), 1);
    const dot = ops.matMul(e, e, false, true);
    const d2 = ops.sub(ops.add(ops.reshape(sq, [-1, 1]), ops.reshape(sq, [1, -1])), ops.mul(dot, 2));
    return ops.sqrt(ops.maximum(d2, 1e-12));
  },
};
