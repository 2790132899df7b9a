import { checkMatrix } from './checks.ts';

/** torch.nn.functional.normalize's default eps: rows with a smaller norm are divided by eps instead. */
const EPS = 1e-12;

/**
 * Row-wise L2 normalisation into a new array, as PML's default `normalize_embeddings=True`
 * (`F.normalize(x, p=2, dim=1)`): each row is divided by max(‖row‖, 1e-12), so a zero row stays zero.
 * The norm is computed in float64.
 *
 * @example
 * l2Normalize(new Float32Array([3, 4, 0, 0]), 2); // Float32Array [0.6, 0.8, 0, 0]
 */
export function l2Normalize(x: Float32Array, dim: number): Float32Array {
  const rows = checkMatrix('x', x, dim);
  const out = new Float32Array(rows * dim);
  for (let r = 0, base = 0; r < rows; r++, base += dim) {
    let s = 0;
    for (let k = 0; k < dim; k++) {
      const v = x[base + k];
      s += v * v;
    }
    const norm = Math.max(Math.sqrt(s), EPS);
    for (let k = 0; k < dim; k++) out[base + k] = x[base + k] / norm;
  }
  return out;
}
