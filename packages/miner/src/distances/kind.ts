/**
 * The distances the miner supports, with PyTorch Metric Learning's names and conventions:
 * `euclidean` is LpDistance(p=2), `squared-euclidean` is LpDistance(power=2), `cosine` is CosineSimilarity.
 */
export type DistanceKind = 'euclidean' | 'squared-euclidean' | 'cosine';

/** Every supported kind, in the order the CLI lists them. */
export const DISTANCE_KINDS: readonly DistanceKind[] = ['euclidean', 'squared-euclidean', 'cosine'];

/**
 * True when bigger means closer (cosine similarity). PML inverts every comparison for such measures, and so do we:
 * a "hard" negative has a *larger* similarity than the positive.
 *
 * @example
 * isSimilarity('cosine'); // true
 * isSimilarity('euclidean'); // false
 */
export function isSimilarity(kind: DistanceKind): boolean {
  return kind === 'cosine';
}
