import type { Distance, TensorOps } from './distance.ts';
import { KIND_SQUARED } from './jsKernel.ts';

/** Σ (x[a+k] − y[b+k])² in float64 (shared with euclidean.ts). */
export function sumSquaredDiff(x: Float32Array, a: number, y: ArrayLike<number>, b: number, dim: number): number {
  let s = 0;
  for (let k = 0; k < dim; k++) s += (x[a + k] - y[b + k]) ** 2;
  return s;
}

/** ‖a‖² + ‖b‖² − 2a·b for every pair of rows of `e`, unclamped (shared with euclidean.ts). */
export function squaredGram<T>(ops: TensorOps<T>, e: T): T {
  const sq = ops.sum(ops.square(e), 1);
  const dot = ops.matMul(e, e, false, true);
  return ops.sub(ops.add(ops.reshape(sq, [-1, 1]), ops.reshape(sq, [1, -1])), ops.mul(dot, 2));
}

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
  dissimilarity: sumSquaredDiff,
  matrix: (ops, e) => ops.maximum(squaredGram(ops, e), 0),
};
