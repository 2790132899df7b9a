/**
 * Streaming exact k-nearest-neighbour search over the distance core: queries are taken a block at a time, every
 * reference block meets them in one {@link distanceTile}, and each query keeps its best `k` in a bounded max-heap.
 * Memory is queryBlock × (k + referenceBlock) numbers — never queries × references.
 *
 * Order (and tie-breaking): neighbours are sorted by distance ascending (by similarity descending for `cosine`);
 * equal values are ordered by the smaller reference row index first. PML's AccuracyCalculator leaves tie order to
 * faiss / torch.topk, which is unspecified; ours is deterministic and independent of the block sizes.
 */
import { distanceTile } from '../distances/distanceTile.ts';
import { type DistanceKind, isSimilarity } from '../distances/kind.ts';
import { squaredNorms } from '../distances/squaredNorms.ts';

/** One block of queries with their sorted neighbours. */
export interface NeighborBlock {
  /** Row index of the first query in this block. */
  start: number;
  /** Queries in this block. */
  rows: number;
  /** Neighbours kept per query (`k`, or fewer when there are fewer references). */
  k: number;
  /** `count[q]` neighbours are valid for query `start + q` (less than `k` only when references run out). */
  count: Int32Array;
  /** `indices[q*k + j]`: reference row of the j-th nearest neighbour of query `start + q`. */
  indices: Int32Array;
  /** `values[q*k + j]`: its distance (or similarity for `cosine`). */
  values: Float32Array;
}

/** Trusted inputs of {@link neighborBlocks} (validated by the public functions that call it). */
export interface NeighborSearch {
  query: Float32Array;
  queryRows: number;
  reference: Float32Array;
  referenceRows: number;
  dim: number;
  kind: DistanceKind;
  k: number;
  /** Queries are the references: query i never retrieves reference i. */
  excludeSelf: boolean;
  queryBlock: number;
  referenceBlock: number;
}

/**
 * Yields the k nearest references of every query, one query block at a time, in query order.
 * The yielded arrays are reused by the next block: copy what you keep.
 */
export function* neighborBlocks(s: NeighborSearch): Generator<NeighborBlock> {
  const { query, reference, dim, kind, excludeSelf } = s;
  const k = Math.max(0, Math.min(s.k, s.referenceRows - (excludeSelf ? 1 : 0)));
  const qb = Math.max(1, s.queryBlock);
  const rb = Math.max(1, s.referenceBlock);
  // Heap keys are "smaller is closer": distances as they are, similarities negated (exact in float32).
  const sign = isSimilarity(kind) ? -1 : 1;
  const cosine = kind === 'cosine';
  const qNorms = cosine ? undefined : squaredNorms(query.subarray(0, s.queryRows * dim), dim);
  const rNorms = cosine ? undefined : squaredNorms(reference.subarray(0, s.referenceRows * dim), dim);
  const tile = new Float32Array(qb * rb);
  const keys = new Float32Array(qb * Math.max(k, 1));
  const idx = new Int32Array(qb * Math.max(k, 1));
  const count = new Int32Array(qb);
  const values = new Float32Array(qb * Math.max(k, 1));
  for (let q0 = 0; q0 < s.queryRows; q0 += qb) {
    const qRows = Math.min(qb, s.queryRows - q0);
    count.fill(0);
    const qSlice = query.subarray(q0 * dim, (q0 + qRows) * dim);
    const qn = qNorms?.subarray(q0, q0 + qRows);
    for (let r0 = 0; r0 < s.referenceRows && k > 0; r0 += rb) {
      const rRows = Math.min(rb, s.referenceRows - r0);
      const rSlice = reference.subarray(r0 * dim, (r0 + rRows) * dim);
      distanceTile(qSlice, qRows, rSlice, rRows, dim, kind, tile, qn, rNorms?.subarray(r0, r0 + rRows));
      for (let q = 0; q < qRows; q++) {
        const self = excludeSelf ? q0 + q - r0 : -1;
        const base = q * k;
        const row = q * rRows;
        let n = count[q];
        for (let j = 0; j < rRows; j++) {
          if (j === self) continue;
          const key = sign * tile[row + j];
          if (n < k) {
            heapPush(keys, idx, base, n, key, r0 + j);
            n++;
          } else if (key < keys[base]) {
            // References arrive in increasing index order, so an equal key never displaces the root: ties keep the
            // smaller index, whatever the block sizes.
            heapReplaceRoot(keys, idx, base, k, key, r0 + j);
          }
        }
        count[q] = n;
      }
    }
    for (let q = 0; q < qRows; q++) {
      sortHeap(keys, idx, q * k, count[q]);
      for (let j = 0; j < count[q]; j++) values[q * k + j] = sign * keys[q * k + j];
    }
    yield {
      start: q0,
      rows: qRows,
      k,
      count: count.subarray(0, qRows),
      indices: idx.subarray(0, qRows * k),
      values: values.subarray(0, qRows * k),
    };
  }
}

/** (key, index) order: true when a is farther than b. */
function worse(ka: number, ia: number, kb: number, ib: number): boolean {
  return ka > kb || (ka === kb && ia > ib);
}

function heapPush(keys: Float32Array, idx: Int32Array, base: number, n: number, key: number, i: number): void {
  let c = n;
  while (c > 0) {
    const p = (c - 1) >> 1;
    if (!worse(key, i, keys[base + p], idx[base + p])) break;
    keys[base + c] = keys[base + p];
    idx[base + c] = idx[base + p];
    c = p;
  }
  keys[base + c] = key;
  idx[base + c] = i;
}

function siftDown(keys: Float32Array, idx: Int32Array, base: number, n: number, key: number, i: number): void {
  let c = 0;
  for (;;) {
    const l = 2 * c + 1;
    if (l >= n) break;
    const r = l + 1;
    let m = l;
    if (r < n && worse(keys[base + r], idx[base + r], keys[base + l], idx[base + l])) m = r;
    if (!worse(keys[base + m], idx[base + m], key, i)) break;
    keys[base + c] = keys[base + m];
    idx[base + c] = idx[base + m];
    c = m;
  }
  keys[base + c] = key;
  idx[base + c] = i;
}

function heapReplaceRoot(keys: Float32Array, idx: Int32Array, base: number, n: number, key: number, i: number): void {
  siftDown(keys, idx, base, n, key, i);
}

/** In-place heap sort of one max-heap into ascending (key, index) order. */
function sortHeap(keys: Float32Array, idx: Int32Array, base: number, n: number): void {
  for (let end = n - 1; end > 0; end--) {
    const k = keys[base + end];
    const i = idx[base + end];
    keys[base + end] = keys[base];
    idx[base + end] = idx[base];
    siftDown(keys, idx, base, end, k, i);
  }
}
