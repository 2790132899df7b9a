import { checkMatrix } from './checks.ts';

/**
 * Squared L2 norm of every row of a row-major matrix, summed in float64 in index order and rounded once to float32,
 * so the value of a row never depends on which block it was computed in.
 *
 * @example
 * squaredNorms(new Float32Array([3, 4, 1, 0]), 2); // Float32Array [25, 1]
 */
export function squaredNorms(x: Float32Array, dim: number): Float32Array {
  const rows = checkMatrix('x', x, dim);
  const out = new Float32Array(rows);
  squaredNormsInto(x, rows, dim, out);
  return out;
}

/** Unchecked inner loop of {@link squaredNorms}; writes `rows` values to `out`. */
export function squaredNormsInto(x: Float32Array, rows: number, dim: number, out: Float32Array): void {
  for (let r = 0, base = 0; r < rows; r++, base += dim) {
    let s = 0;
    for (let k = 0; k < dim; k++) {
      const v = x[base + k];
      s += v * v;
    }
    out[r] = s;
  }
}
