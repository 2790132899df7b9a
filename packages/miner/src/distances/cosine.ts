import type { Distance } from './distance.ts';
import { KIND_COSINE } from './jsKernel.ts';

/**
 * Cosine similarity: the dot product a·b of (normalised) rows, so bigger is closer and every comparison is inverted.
 * PML's CosineSimilarity; mining with `normalize: false` gives raw dot products, as
 * CosineSimilarity(normalize_embeddings=False).
 *
 * @example
 * getDistance('cosine').isSimilarity; // true
 */
export const cosine: Distance<'cosine'> = {
  name: 'cosine',
  pml: 'CosineSimilarity()',
  isSimilarity: true,
  needsNorms: false,
  searchNormalizes: true,
  kernel: KIND_COSINE,
  dissimilarity(x, a, y, b, dim) {
    let s = 0;
    for (let k = 0; k < dim; k++) s += x[a + k] * y[b + k];
    return 1 - s;
  },
  // The rows are expected normalised, as in mining.
  matrix(ops, e) {
    return ops.matMul(e, e, false, true);
  },
};
