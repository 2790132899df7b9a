/**
 * Brute-force reference miner for tests: the full distance matrix (from distanceTile on all rows at once) and a
 * direct enumeration of every (a, p, n) with PML's conditions written out literally.
 */
import type { Strategy } from '../../src/core/types.ts';
import { type DistanceKind, distanceTile, isSimilarity, l2Normalize } from '../../src/distances/index.ts';

export interface OracleOptions {
  strategy: Strategy;
  margin: number;
  distance: DistanceKind;
  normalize: boolean;
  reference?: { embeddings: Float32Array; labels: Int32Array };
}

export type Triplet = [a: number, p: number, n: number, dAp: number, dAn: number];

export function oracleMatrix(emb: Float32Array, dim: number, o: OracleOptions): { mat: Float32Array; nC: number } {
  const A = o.normalize ? l2Normalize(emb, dim) : emb;
  const refEmb = o.reference ? o.reference.embeddings : emb;
  const C = o.normalize ? l2Normalize(refEmb, dim) : refEmb;
  const nA = A.length / dim;
  const nC = C.length / dim;
  const mat = new Float32Array(nA * nC);
  distanceTile(A, nA, C, nC, dim, o.distance, mat);
  return { mat, nC };
}

/** PML TripletMarginMiner's type_of_triplets conditions on the float32 triplet margin tm, written out literally. */
const PML_RULES: Record<string, (tm: number, m: number) => boolean> = {
  all: (tm, m) => tm <= m,
  hard: (tm, m) => tm <= m && tm <= 0,
  'semi-hard': (tm, m) => tm <= m && tm > 0,
  easy: (tm, m) => tm > m,
};

/** PML TripletMarginMiner / BatchHardMiner, literally, in (a, p, n) order. */
export function oracleMine(emb: Float32Array, dim: number, labels: Int32Array, o: OracleOptions): Triplet[] {
  const { mat, nC } = oracleMatrix(emb, dim, o);
  const refLabels = o.reference ? o.reference.labels : labels;
  const inverted = isSimilarity(o.distance);
  const m = Math.fround(o.margin);
  const out: Triplet[] = [];
  for (let a = 0; a < labels.length; a++) {
    const isPos = (p: number) => refLabels[p] === labels[a] && (o.reference !== undefined || p !== a);
    const isNeg = (n: number) => refLabels[n] !== labels[a];
    const keep = PML_RULES[o.strategy];
    if (o.strategy !== 'batch-hard' && !keep) throw new Error(`the oracle has no PML rule for ${o.strategy}: add it`);
    if (o.strategy === 'batch-hard') {
      let bp = -1;
      let bn = -1;
      for (let p = 0; p < nC; p++) {
        if (!isPos(p)) continue;
        const d = mat[a * nC + p];
        if (bp < 0 || (inverted ? d < mat[a * nC + bp] : d > mat[a * nC + bp])) bp = p;
      }
      for (let n = 0; n < nC; n++) {
        if (!isNeg(n)) continue;
        const d = mat[a * nC + n];
        if (bn < 0 || (inverted ? d > mat[a * nC + bn] : d < mat[a * nC + bn])) bn = n;
      }
      if (bp >= 0 && bn >= 0) out.push([a, bp, bn, mat[a * nC + bp], mat[a * nC + bn]]);
      continue;
    }
    for (let p = 0; p < nC; p++) {
      if (!isPos(p)) continue;
      for (let n = 0; n < nC; n++) {
        if (!isNeg(n)) continue;
        const ap = mat[a * nC + p];
        const an = mat[a * nC + n];
        const tm = Math.fround(inverted ? ap - an : an - ap);
        if (keep(tm, m)) out.push([a, p, n, ap, an]);
      }
    }
  }
  return out;
}

/** Columns → tuples, for comparisons. */
export function tuples(t: {
  anchors: Int32Array;
  positives: Int32Array;
  negatives: Int32Array;
  dAp: Float32Array;
  dAn: Float32Array;
}): Triplet[] {
  return Array.from(t.anchors, (a, i) => [a, t.positives[i], t.negatives[i], t.dAp[i], t.dAn[i]] as Triplet);
}
