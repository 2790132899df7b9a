/**
 * The portable pure-TypeScript tile kernel (the fallback when the native addon is absent or disabled).
 *
 * Determinism: every dot product is accumulated in float64 in index order k = 0…dim−1, starting from 0, whether the
 * element sits in a 4×4 register block or in an edge loop. A float32×float32 product is exact in float64, so each
 * element's value depends only on its two rows — never on the tile shape or its position. The distance epilogue is
 * also done in float64 and rounded once to float32.
 */

/** Kind codes shared with the native addon. */
export const KIND_EUCLIDEAN = 0;
export const KIND_SQUARED = 1;
export const KIND_COSINE = 2;

/** Float64 epilogue: dot product (and squared norms) → stored distance. Identical in every code path. */
function finish(kind: number, dot: number, na: number, nb: number): number {
  if (kind === KIND_COSINE) return dot;
  const d = na + nb - 2 * dot;
  // Math.max keeps a NaN visible (never silently 0); the clamp removes rounding's negative near-zero distances.
  const c = Math.max(d, 0);
  return kind === KIND_EUCLIDEAN ? Math.sqrt(c) : c;
}

/** One row of a 4×4 block: its four dot products s0…s3 with columns j…j+3, finished, at out[o…o+3]. */
function finish4(
  out: Float32Array,
  o: number,
  kind: number,
  s0: number,
  s1: number,
  s2: number,
  s3: number,
  na: number,
  bNorms: Float32Array,
  j: number,
): void {
  out[o] = finish(kind, s0, na, bNorms[j]);
  out[o + 1] = finish(kind, s1, na, bNorms[j + 1]);
  out[o + 2] = finish(kind, s2, na, bNorms[j + 2]);
  out[o + 3] = finish(kind, s3, na, bNorms[j + 3]);
}

/**
 * out[i*bRows + j] = distance(a row i, b row j). Arguments are trusted (validated by distanceTile).
 * Rows are processed in 4×4 blocks: 8 loads feed 16 multiply-adds per k, which keeps V8's registers busy.
 */
export function jsDistanceTile(
  a: Float32Array,
  aRows: number,
  b: Float32Array,
  bRows: number,
  dim: number,
  kind: number,
  out: Float32Array,
  aNorms: Float32Array,
  bNorms: Float32Array,
): void {
  const i4 = aRows - (aRows % 4);
  const j4 = bRows - (bRows % 4);
  for (let i = 0; i < i4; i += 4) {
    const a0 = i * dim;
    const a1 = a0 + dim;
    const a2 = a1 + dim;
    const a3 = a2 + dim;
    const na0 = aNorms[i];
    const na1 = aNorms[i + 1];
    const na2 = aNorms[i + 2];
    const na3 = aNorms[i + 3];
    const o0 = i * bRows;
    const o1 = o0 + bRows;
    const o2 = o1 + bRows;
    const o3 = o2 + bRows;
    for (let j = 0; j < j4; j += 4) {
      const b0 = j * dim;
      const b1 = b0 + dim;
      const b2 = b1 + dim;
      const b3 = b2 + dim;
      let s00 = 0;
      let s01 = 0;
      let s02 = 0;
      let s03 = 0;
      let s10 = 0;
      let s11 = 0;
      let s12 = 0;
      let s13 = 0;
      let s20 = 0;
      let s21 = 0;
      let s22 = 0;
      let s23 = 0;
      let s30 = 0;
      let s31 = 0;
      let s32 = 0;
      let s33 = 0;
      for (let k = 0; k < dim; k++) {
        const x0 = a[a0 + k];
        const x1 = a[a1 + k];
        const x2 = a[a2 + k];
        const x3 = a[a3 + k];
        const y0 = b[b0 + k];
        const y1 = b[b1 + k];
        const y2 = b[b2 + k];
        const y3 = b[b3 + k];
        s00 += x0 * y0;
        s01 += x0 * y1;
        s02 += x0 * y2;
        s03 += x0 * y3;
        s10 += x1 * y0;
        s11 += x1 * y1;
        s12 += x1 * y2;
        s13 += x1 * y3;
        s20 += x2 * y0;
        s21 += x2 * y1;
        s22 += x2 * y2;
        s23 += x2 * y3;
        s30 += x3 * y0;
        s31 += x3 * y1;
        s32 += x3 * y2;
        s33 += x3 * y3;
      }
      finish4(out, o0 + j, kind, s00, s01, s02, s03, na0, bNorms, j);
      finish4(out, o1 + j, kind, s10, s11, s12, s13, na1, bNorms, j);
      finish4(out, o2 + j, kind, s20, s21, s22, s23, na2, bNorms, j);
      finish4(out, o3 + j, kind, s30, s31, s32, s33, na3, bNorms, j);
    }
    // Edge columns: same accumulation order, one element at a time.
    for (let j = j4; j < bRows; j++) {
      for (let r = 0; r < 4; r++) {
        out[o0 + r * bRows + j] = edge(a, (i + r) * dim, b, j * dim, dim, kind, aNorms[i + r], bNorms[j]);
      }
    }
  }
  for (let i = i4; i < aRows; i++) {
    const ai = i * dim;
    const oi = i * bRows;
    const na = aNorms[i];
    for (let j = 0; j < bRows; j++) out[oi + j] = edge(a, ai, b, j * dim, dim, kind, na, bNorms[j]);
  }
}

/** One element, accumulated exactly like a lane of the 4×4 block. */
function edge(
  a: Float32Array,
  ai: number,
  b: Float32Array,
  bj: number,
  dim: number,
  kind: number,
  na: number,
  nb: number,
): number {
  let s = 0;
  for (let k = 0; k < dim; k++) s += a[ai + k] * b[bj + k];
  return finish(kind, s, na, nb);
}
