/**
 * Expansion of one anchor's records (negative, value, range [lo, hi) of sorted positives) into triplet rows in
 * (anchor, positive, negative) order. This is where an output-heavy job spends its time, so both loops are written
 * for V8's typed-array fast paths: no allocation, no per-triplet calls, and the dense loop stores unconditionally and
 * advances by the comparison (no unpredictable branch; a store one past the end is overwritten or out of range).
 */
import type { TripletColumns } from '../core/pendingBlock.ts';
import { nativeAddon } from '../distances/distanceTile.ts';
import type { Records } from './collectAll.ts';

let nativeExpansion = true;

/**
 * Turns the native expansion (native/src/expand.c) off or back on for this thread and returns the previous setting;
 * the TypeScript loops here are the reference. For tests that compare the two.
 *
 * @example
 * const was = useNativeExpansion(false); // … mine with the TypeScript expansion …
 * useNativeExpansion(was);
 */
export function useNativeExpansion(on: boolean): boolean {
  const was = nativeExpansion;
  nativeExpansion = on;
  return was;
}

interface Positives {
  start: Int32Array;
  row: Int32Array;
  val: Float32Array;
  slot: Int32Array;
}

/**
 * What every expansion of one block reads: its positives, per-anchor records, first anchor row and sign (−1 when
 * values are similarities). CollectAll's pending block (collectAll.ts) is one.
 */
export interface ExpansionBlock {
  readonly a0: number;
  readonly pos: Positives;
  readonly records: readonly Records[];
  readonly sign: number;
}

/**
 * For local anchor `i`: each of its positives' sorted entry in row order into byRowOf[0 … np−1], and how many triplets
 * each entry has into countOf[entry − start] (through a difference array over the records' ranges).
 */
export function countTriplets(b: ExpansionBlock, i: number, byRowOf: Int32Array, countOf: Int32Array): void {
  const { start, slot } = b.pos;
  const { lo, hi, length } = b.records[i];
  const s = start[i];
  const np = start[i + 1] - s;
  countOf.fill(0, 0, np + 1);
  for (let k = 0; k < np; k++) byRowOf[slot[s + k]] = s + k;
  for (let t = 0; t < length; t++) {
    countOf[lo[t] - s]++;
    countOf[hi[t] - s]--;
  }
  for (let k = 1; k < np; k++) countOf[k] += countOf[k - 1];
}

// Scratch per thread (grow-only): each positive's sorted entry in row order, its triplet count, its next slot.
let byRow = new Int32Array(64);
let count = new Int32Array(65);
let at = new Int32Array(64);

function scratch(np: number): void {
  if (byRow.length >= np) return;
  byRow = new Int32Array(np * 2);
  count = new Int32Array(np * 2 + 1);
  at = new Int32Array(np * 2);
}

/**
 * Positive entry `k` of anchor `a`: its `c` triplets (one per record whose range holds k, ascending negatives) at
 * out[w …]; returns w + c.
 */
export function expandPositive(
  r: Records,
  pos: Positives,
  k: number,
  a: number,
  sign: number,
  out: TripletColumns,
  w: number,
  c: number,
): number {
  const { negatives, dAn } = out;
  const { neg, x, lo, hi } = r;
  const n = r.length;
  let o = w;
  for (let t = 0; t < n; t++) {
    negatives[o] = neg[t];
    dAn[o] = sign * x[t];
    o += +(lo[t] <= k) & +(k < hi[t]);
  }
  out.anchors.fill(a, w, w + c);
  out.positives.fill(pos.row[k], w, w + c);
  out.dAp.fill(sign * pos.val[k], w, w + c);
  return w + c;
}

/** The addon's expand(), or undefined when it is absent or turned off (useNativeExpansion). */
function nativeExpand() {
  return nativeExpansion ? nativeAddon?.expand : undefined;
}
let nativeScratch = new Int32Array(0);

/**
 * The triplets of local anchor `i`'s positives q0 … q1−1 in row order (`byRowOf`, `countOf`: as {@link countTriplets}
 * fills them) at out[w …]; returns the position after them. The addon, when there, needs neither table.
 */
export function expandPositives(
  b: ExpansionBlock,
  i: number,
  out: TripletColumns,
  w: number,
  q0: number,
  q1: number,
  byRowOf: Int32Array,
  countOf: Int32Array,
): number {
  const { pos, sign } = b;
  const r = b.records[i];
  const a = b.a0 + i;
  const s = pos.start[i];
  const fn = nativeExpand();
  if (fn) {
    const np = pos.start[i + 1] - s;
    if (nativeScratch.length < 3 * (np + 1)) nativeScratch = new Int32Array(6 * (np + 1));
    return fn(
      r.neg,
      r.x,
      r.lo,
      r.hi,
      r.length,
      pos.row,
      pos.val,
      pos.slot,
      s,
      np,
      a,
      sign < 0 ? 1 : 0,
      q0,
      q1,
      out.anchors,
      out.positives,
      out.negatives,
      out.dAp,
      out.dAn,
      w,
      nativeScratch,
    );
  }
  for (let q = q0; q < q1; q++) {
    const k = byRowOf[q];
    const c = countOf[k - s];
    if (c > 0) w = expandPositive(r, pos, k, a, sign, out, w, c);
  }
  return w;
}

/** All triplets of local anchor `i` at out[w …]; returns the position after them. */
export function expandAnchor(b: ExpansionBlock, i: number, out: TripletColumns, w: number): number {
  const { pos, sign } = b;
  const r = b.records[i];
  const a = b.a0 + i;
  const { start, row, val } = pos;
  const s = start[i];
  const np = start[i + 1] - s;
  if (nativeExpand()) return expandPositives(b, i, out, w, 0, np, byRow, count);
  scratch(np);
  countTriplets(b, i, byRow, count);
  if (np * r.length <= 4 * r.triplets) {
    // Dense ranges: one sequential pass over the records per positive writes the output in order.
    return expandPositives(b, i, out, w, 0, np, byRow, count);
  }
  // Sparse ranges among many positives: place each triplet at its positive's next slot (O(output)).
  const { anchors, positives, negatives, dAp, dAn } = out;
  for (let q = 0, o = w; q < np; q++) {
    const k = byRow[q];
    const c = count[k - s];
    at[k - s] = o;
    anchors.fill(a, o, o + c);
    positives.fill(row[k], o, o + c);
    dAp.fill(sign * val[k], o, o + c);
    o += c;
  }
  const { neg, x, lo, hi } = r;
  for (let t = 0; t < r.length; t++) {
    const n = neg[t];
    const v = sign * x[t];
    for (let k = lo[t] - s; k < hi[t] - s; k++) {
      const o = at[k]++;
      negatives[o] = n;
      dAn[o] = v;
    }
  }
  return w + r.triplets;
}
