/**
 * Streaming exact k-nearest-neighbour search over the distance core: queries are taken a block at a time, every
 * reference block meets them in one {@link distanceTile}, and each query keeps its best `k` in a bounded buffer.
 * Memory is queryBlock × (k + referenceBlock) numbers — never queries × references.
 *
 * Order (and tie-breaking): neighbours are sorted by distance ascending (by similarity descending for `cosine`);
 * equal values are ordered by the smaller reference row index first. PML's AccuracyCalculator leaves tie order to
 * faiss / torch.topk, which is unspecified; ours is deterministic and independent of the block sizes.
 */
import { distanceTile } from '../distances/distanceTile.ts';
import { type DistanceKind, getDistance } from '../distances/registry.ts';
import { squaredNorms } from '../distances/squaredNorms.ts';
import { prepare, queryBlockFor, type ResolvedDistance } from './checks.ts';

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
  /** Final sort through packed float64 keys (default when references ≤ 2^21) or a (key, index) heap sort. */
  packedSort?: boolean;
}

/**
 * {@link neighborBlocks} as the public metrics run it: rows prepared as the resolved options say (normalised for
 * cosine or when asked), no `reference` meaning the queries themselves (self excluded), the query block sized for k.
 */
export function neighborBlocksFor(
  query: Float32Array,
  queryRows: number,
  reference: Float32Array | undefined,
  referenceRows: number,
  dim: number,
  o: ResolvedDistance,
  k: number,
): Generator<NeighborBlock> {
  const q = prepare(query, dim, o);
  const sameSource = reference === undefined;
  return neighborBlocks({
    query: q,
    queryRows,
    reference: sameSource ? q : prepare(reference, dim, o),
    referenceRows,
    dim,
    kind: o.distance,
    k,
    excludeSelf: sameSource,
    queryBlock: queryBlockFor(o, 2 * k),
    referenceBlock: o.referenceBlock,
  });
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
  // Each query collects candidates in a buffer of 2k; when it fills, a quickselect keeps the k best and their worst
  // key becomes the admission threshold. Amortised O(1) per candidate, where a heap costs O(log k) per admission.
  const cap = Math.max(2 * k, k + 1);
  // Keys are "smaller is closer": distances as they are, similarities negated (exact in float32).
  const distance = getDistance(kind);
  const sign = distance.isSimilarity ? -1 : 1;
  const qNorms = distance.needsNorms ? squaredNorms(query.subarray(0, s.queryRows * dim), dim) : undefined;
  const rNorms = distance.needsNorms ? squaredNorms(reference.subarray(0, s.referenceRows * dim), dim) : undefined;
  const tile = new Float32Array(qb * rb);
  const keys = new Float32Array(qb * cap);
  const idx = new Int32Array(qb * cap);
  const count = new Int32Array(qb);
  const threshold = new Float32Array(qb);
  const outIdx = new Int32Array(qb * Math.max(k, 1));
  const values = new Float32Array(qb * Math.max(k, 1));
  const sortScratch = new Float64Array(cap);
  for (let q0 = 0; q0 < s.queryRows; q0 += qb) {
    const qRows = Math.min(qb, s.queryRows - q0);
    count.fill(0);
    threshold.fill(Number.POSITIVE_INFINITY);
    const qSlice = query.subarray(q0 * dim, (q0 + qRows) * dim);
    const qn = qNorms?.subarray(q0, q0 + qRows);
    for (let r0 = 0; r0 < s.referenceRows && k > 0; r0 += rb) {
      const rRows = Math.min(rb, s.referenceRows - r0);
      const rSlice = reference.subarray(r0 * dim, (r0 + rRows) * dim);
      distanceTile(qSlice, qRows, rSlice, rRows, dim, kind, tile, qn, rNorms?.subarray(r0, r0 + rRows));
      absorbTile(tile, qRows, rRows, r0, excludeSelf ? q0 - r0 : null, sign, keys, idx, count, threshold, cap, k);
    }
    const packed = s.packedSort ?? s.referenceRows <= PACK_LIMIT;
    for (let q = 0; q < qRows; q++) {
      const base = q * cap;
      let n = count[q];
      if (n > k) {
        selectSmallest(keys, idx, base, n, k);
        n = k;
      }
      if (packed) sortPacked(keys, idx, base, n, sortScratch);
      else {
        for (let i = 0; i < n; i++) heapPush(keys, idx, base, i, keys[base + i], idx[base + i]);
        sortHeap(keys, idx, base, n);
      }
      for (let j = 0; j < n; j++) {
        values[q * k + j] = sign * keys[base + j];
        outIdx[q * k + j] = idx[base + j];
      }
      count[q] = n;
    }
    yield {
      start: q0,
      rows: qRows,
      k,
      count: count.subarray(0, qRows),
      indices: outIdx.subarray(0, qRows * k),
      values: values.subarray(0, qRows * k),
    };
  }
}

/**
 * Admits one tile's candidates into each query's buffer. A plain function (not the generator) so V8 optimises the
 * hot loop. `selfOffset` = q0 − r0 when the queries are the references (query q skips column q + selfOffset).
 */
function absorbTile(
  tile: Float32Array,
  qRows: number,
  rRows: number,
  r0: number,
  selfOffset: number | null,
  sign: number,
  keys: Float32Array,
  idx: Int32Array,
  count: Int32Array,
  threshold: Float32Array,
  cap: number,
  k: number,
): void {
  for (let q = 0; q < qRows; q++) {
    const self = selfOffset === null ? -1 : q + selfOffset;
    const base = q * cap;
    const row = q * rRows;
    let n = count[q];
    let thr = threshold[q];
    for (let j = 0; j < rRows; j++) {
      const key = sign * tile[row + j];
      // References arrive in increasing index order, so a key equal to the threshold ranks after the kept element
      // that set it: ties keep the smaller index, whatever the block sizes.
      if (key < thr && j !== self) {
        keys[base + n] = key;
        idx[base + n] = r0 + j;
        if (++n === cap) {
          thr = selectSmallest(keys, idx, base, n, k);
          n = k;
        }
      }
    }
    count[q] = n;
    threshold[q] = thr;
  }
}

/** References up to this count let (key, index) pack into one exactly ordered float64: 32 key bits + 21 index bits. */
const PACK_LIMIT = 2 ** 21;
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/**
 * Sorts n (key, index) pairs by key then index with the native Float64Array sort: each float32 key's bits are mapped
 * to an order-preserving uint32 (flip all bits of negatives, the sign bit of positives), times 2^21, plus the index.
 */
function sortPacked(keys: Float32Array, idx: Int32Array, base: number, n: number, scratch: Float64Array): void {
  const packed = scratch.subarray(0, n);
  for (let i = 0; i < n; i++) {
    f32[0] = keys[base + i];
    const u = u32[0];
    const m = u & 0x80000000 ? ~u >>> 0 : (u | 0x80000000) >>> 0;
    packed[i] = m * PACK_LIMIT + idx[base + i];
  }
  packed.sort();
  for (let i = 0; i < n; i++) {
    const v = packed[i];
    const m = Math.floor(v / PACK_LIMIT);
    idx[base + i] = v - m * PACK_LIMIT;
    u32[0] = m & 0x80000000 ? (m & 0x7fffffff) >>> 0 : ~m >>> 0;
    keys[base + i] = f32[0];
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

function swap(keys: Float32Array, idx: Int32Array, a: number, b: number): void {
  const k = keys[a];
  keys[a] = keys[b];
  keys[b] = k;
  const i = idx[a];
  idx[a] = idx[b];
  idx[b] = i;
}

/**
 * Quickselect on (key, index) pairs: moves the k smallest of the n pairs at `base` to the front (in any order) and
 * returns the largest key among them. Pairs are distinct (indices are), so the partition is well defined.
 */
function selectSmallest(keys: Float32Array, idx: Int32Array, base: number, n: number, k: number): number {
  let lo = base;
  let hi = base + n - 1;
  const target = base + k - 1;
  while (hi > lo) {
    // Median of three as pivot, moved to hi.
    const mid = (lo + hi) >> 1;
    if (worse(keys[lo], idx[lo], keys[mid], idx[mid])) swap(keys, idx, lo, mid);
    if (worse(keys[mid], idx[mid], keys[hi], idx[hi])) swap(keys, idx, mid, hi);
    if (worse(keys[lo], idx[lo], keys[mid], idx[mid])) swap(keys, idx, lo, mid);
    swap(keys, idx, mid, hi);
    const pk = keys[hi];
    const pi = idx[hi];
    let store = lo;
    for (let i = lo; i < hi; i++) {
      if (worse(pk, pi, keys[i], idx[i])) {
        swap(keys, idx, i, store);
        store++;
      }
    }
    swap(keys, idx, store, hi);
    if (store === target) break;
    if (store < target) lo = store + 1;
    else hi = store - 1;
  }
  let max = Number.NEGATIVE_INFINITY;
  for (let i = base; i < base + k; i++) if (keys[i] > max) max = keys[i];
  return max;
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
