/**
 * Shared streaming scan of the margin strategies (all, hard, semi-hard, easy).
 *
 * An anchor's positives are sorted by canonical value v ascending, so tm = fround(x − v) is non-increasing along
 * them (fround and subtraction are monotone). Hence, for one negative, the positives that satisfy lo < tm ≤ hi form a
 * contiguous range [A, B): A = first with tm ≤ hi, B = first with tm ≤ lo. With exact float32 thresholds
 * (tm ≤ t ⟺ x ≤ T(v, t), see float32Threshold.ts) both are "first k with x ≤ T[k]" over non-decreasing arrays: a
 * bucket table guesses them and a short walk with plain comparisons makes them exact — the brute-force set, bit for
 * bit, without a binary search's unpredictable branches.
 *
 * With the native addon, scanRows runs this scan in C for a whole tile at once (native/src/select.c: the same float32
 * comparisons, and exact A and B found by SIMD counting or by these same tables), and SamplePerAnchor fuses its
 * reservoir's fast path into it; test/selectNative.test.ts checks the two scans give the same bytes.
 */
import type { BlockPositives } from '../core/blockPositives.ts';
import type { Prepared } from '../core/prepare.ts';
import type { TripletBuffer } from '../core/tripletBuffer.ts';
import type { ResolvedOptions } from '../core/types.ts';
import { nativeAddon } from '../distances/distanceTile.ts';
import type { NativeAddon, SelectBlockArgs } from '../distances/nativeKernel.ts';
import { lastAtMost } from './float32Threshold.ts';
import { marginWindow } from './marginWindow.ts';
import { BlockSelector } from './selector.ts';

/** Buckets per positive in the tables that turn "first positive whose threshold is ≥ x" into a table read. */
const BUCKETS_PER_POSITIVE = 16;
const MAX_BUCKETS = 16384;
/** Records per native select call: 2^18 × 16 bytes = 4 MB, one call per tile at the default tile size. */
let KEPT_BUFFER = 1 << 18;

let nativeSelection = true;
/** Rows this short never read their bucket tables in the native scan (see select.c), so none is built for them. */
const NATIVE_FAST_MAX = nativeAddon?.info().selectFastMax ?? 0;

/**
 * Turns the native window selection off (or back on) for this thread and returns the previous setting. It only
 * matters when the native addon is loaded; the TypeScript scan is the reference. For tests that compare the two.
 *
 * @example
 * const was = useNativeSelection(false); // … mine with the TypeScript scan …
 * useNativeSelection(was);
 */
export function useNativeSelection(on: boolean): boolean {
  const was = nativeSelection;
  nativeSelection = on;
  return was;
}

/**
 * Sets how many records one native select call may produce (rows are grouped to fit; a row always fits) and returns
 * the previous value. For tests of the grouping; the default suits any tile size.
 *
 * @example
 * const was = nativeSelectBuffer(64); // … mine …
 * nativeSelectBuffer(was);
 */
export function nativeSelectBuffer(records: number): number {
  const was = KEPT_BUFFER;
  KEPT_BUFFER = Math.max(1, Math.floor(records));
  return was;
}

export abstract class WindowSelector extends BlockSelector {
  protected readonly options: ResolvedOptions;
  protected readonly lo: number;
  protected readonly hi: number;
  // Per anchor of the block: bucket tables over a grid of candidate values x (see beginBlock).
  private tabStart = new Int32Array(1);
  private tabA = new Int32Array(0);
  private tabB = new Int32Array(0);
  private gmin = new Float64Array(0);
  private scale = new Float64Array(0);
  private cand = new Int32Array(0);
  // Kept candidates of one row-tile (or, natively, of all rows of a tile: row q's at rowEnd[q−1] … rowEnd[q]−1),
  // handed to the strategy in one call per row (no per-candidate call, no boxing).
  protected keptN = new Int32Array(0);
  protected keptX = new Float32Array(0);
  protected keptA = new Int32Array(0);
  protected keptB = new Int32Array(0);
  private rowEnd = new Int32Array(0);
  // The scan of the current block: fixed at beginBlock, since the tables built there depend on it.
  private blockNative: NativeAddon | undefined;
  // Per sorted positive k of the block: tm ≤ hi ⟺ x ≤ ta[k], tm ≤ lo ⟺ x ≤ tb[k] (both non-decreasing in k).
  private ta = new Float32Array(0);
  private tb = new Float32Array(0);

  constructor(p: Prepared, options: ResolvedOptions) {
    super(p);
    this.options = options;
    const w = marginWindow(options.strategy as 'all', options.margin);
    this.lo = w.lo;
    this.hi = w.hi;
  }

  override beginBlock(a0: number, count: number, positives: BlockPositives): void {
    super.beginBlock(a0, count, positives);
    this.blockNative = nativeSelection ? nativeAddon : undefined;
    // Rows the native scan handles without tables get a one-entry placeholder (never read).
    const untabled = this.blockNative ? NATIVE_FAST_MAX : 0;
    const { start, val } = positives;
    if (this.tabStart.length < count + 1) {
      this.tabStart = new Int32Array(count + 1);
      this.gmin = new Float64Array(count);
      this.scale = new Float64Array(count);
    }
    const pairs = start[count];
    if (this.ta.length < pairs) {
      this.ta = new Float32Array(pairs);
      this.tb = new Float32Array(pairs);
    }
    const hasLo = this.lo > Number.NEGATIVE_INFINITY;
    const hasHi = this.hi < Number.POSITIVE_INFINITY;
    for (let k = 0; k < pairs; k++) {
      if (hasHi) this.ta[k] = lastAtMost(val[k], this.hi);
      if (hasLo) this.tb[k] = lastAtMost(val[k], this.lo);
    }
    let total = 0;
    for (let i = 0; i < count; i++) {
      this.tabStart[i] = total;
      const np = start[i + 1] - start[i];
      if (np > 0) total += np <= untabled ? 1 : Math.min(MAX_BUCKETS, BUCKETS_PER_POSITIVE * np) + 1;
    }
    this.tabStart[count] = total;
    if (this.tabA.length < total) {
      this.tabA = new Int32Array(total);
      this.tabB = new Int32Array(total);
    }
    for (let i = 0; i < count; i++) {
      const s = start[i];
      const e = start[i + 1];
      if (s === e) continue;
      // One grid over the candidate values x that can matter: [gmin, gmax] spans both threshold arrays.
      const nb = Math.min(MAX_BUCKETS, BUCKETS_PER_POSITIVE * (e - s));
      const gmin = Math.min(
        hasHi ? this.ta[s] : Number.POSITIVE_INFINITY,
        hasLo ? this.tb[s] : Number.POSITIVE_INFINITY,
      );
      const gmax = Math.max(
        hasHi ? this.ta[e - 1] : Number.NEGATIVE_INFINITY,
        hasLo ? this.tb[e - 1] : Number.NEGATIVE_INFINITY,
      );
      const span = gmax - gmin;
      const scale = span > 0 && Number.isFinite(span) ? nb / span : 0;
      this.gmin[i] = Number.isFinite(gmin) ? gmin : 0;
      this.scale[i] = scale;
      if (e - s <= untabled) continue;
      // tabA[b] = first k with ta[k] ≥ gmin + (b − ½) / scale: half a bucket below the bucket's start, so it is never
      // past the exact A of an x in bucket b (whatever the rounding of the bucket index) — walks only go forward.
      const t0 = this.tabStart[i];
      let ka = s;
      let kb = s;
      for (let b = 0; b <= nb; b++) {
        const g = scale > 0 ? gmin + (b - 0.5) / scale : gmin;
        if (hasHi) while (ka < e && this.ta[ka] < g) ka++;
        if (hasLo) while (kb < e && this.tb[kb] < g) kb++;
        this.tabA[t0 + b] = ka;
        this.tabB[t0 + b] = kb;
      }
    }
  }

  scanRow(i: number, tile: Float32Array, off: number, c0: number, count: number): void {
    const { start } = this.pos;
    const s = start[i];
    const e = start[i + 1];
    if (s === e) return;
    const { candClass, sign } = this.p;
    const ac = this.p.anchorClass[this.a0 + i];
    const { ta, tb } = this;
    // With no lower (upper) bound on tm, every positive passes it: B = e (A = s).
    const hasLo = this.lo > Number.NEGATIVE_INFINITY;
    const hasHi = this.hi < Number.POSITIVE_INFINITY;

    // Phase 1, branch-free: keep the candidates that pair with at least one positive, i.e. tm(first) > lo and
    // tm(last) ≤ hi ⟺ tb[s] < x ≤ ta[e − 1]. Most candidates are far from every window; a compaction loop without
    // branches drops them at ~1 ns each.
    const xLo = hasLo ? tb[s] : Number.NEGATIVE_INFINITY;
    const xHi = hasHi ? ta[e - 1] : Number.POSITIVE_INFINITY;
    if (this.cand.length < count) this.cand = new Int32Array(count);
    this.reserveKept(count);
    const cand = this.cand;
    let m = 0;
    if (sign > 0) {
      for (let j = 0; j < count; j++) {
        const t = tile[off + j];
        cand[m] = j;
        m += +(t > xLo) & +(t <= xHi);
      }
    } else {
      const tLo = -xHi;
      const tHi = -xLo;
      for (let j = 0; j < count; j++) {
        const t = tile[off + j];
        cand[m] = j;
        m += +(t >= tLo) & +(t < tHi);
      }
    }

    // Phase 2: the exact range of positives for each kept candidate.
    const { tabA, tabB } = this;
    const t0 = this.tabStart[i];
    const top = this.tabStart[i + 1] - t0 - 1;
    const gmin = this.gmin[i];
    const scale = this.scale[i];
    const { keptN, keptX, keptA, keptB } = this;
    let w = 0;
    for (let q = 0; q < m; q++) {
      const j = cand[q];
      const n = c0 + j;
      if (candClass[n] === ac) continue;
      const x = sign * tile[off + j];
      // A = first k with x ≤ ta[k], B = first k with x ≤ tb[k]: read from x's bucket, walked to exact (~0 steps).
      const bx = t0 + (Math.min(top, Math.max(0, (x - gmin) * scale)) | 0);
      let A = s;
      let B = e;
      if (scale > 0) {
        if (hasHi) {
          A = tabA[bx];
          while (A < e && x > ta[A]) A++;
        }
        if (hasLo) {
          B = tabB[bx];
          while (B < e && x > tb[B]) B++;
        }
      } else {
        // All thresholds equal (e.g. duplicated positives): each range end is all-or-nothing, no walk.
        if (hasHi && x > ta[s]) A = e;
        if (hasLo && !(x > tb[s])) B = s;
      }
      keptN[w] = n;
      keptX[w] = x;
      keptA[w] = A;
      keptB[w] = B;
      w += +(A < B);
    }
    if (w > 0) this.take(i, 0, w);
  }

  private reserveKept(n: number): void {
    if (this.keptN.length >= n) return;
    this.keptN = new Int32Array(n);
    this.keptX = new Float32Array(n);
    this.keptA = new Int32Array(n);
    this.keptB = new Int32Array(n);
  }

  /** The addon, when this thread has it and the native selection was on at beginBlock. */
  protected native(): NativeAddon | undefined {
    return this.blockNative;
  }

  /** This block's selection inputs for one candidate tile, in the addon's argument order. */
  protected blockArgs(tile: Float32Array, c0: number, count: number): SelectBlockArgs {
    const flags = (this.lo > Number.NEGATIVE_INFINITY ? 1 : 0) | (this.hi < Number.POSITIVE_INFINITY ? 2 : 0);
    return [
      tile,
      count,
      c0,
      this.p.sign < 0 ? 1 : 0,
      flags,
      this.p.candClass,
      this.p.anchorClass.subarray(this.a0, this.a0 + this.count),
      this.pos.start,
      this.ta,
      this.tb,
      this.tabStart,
      this.tabA,
      this.tabB,
      this.gmin,
      this.scale,
    ];
  }

  scanRows(tile: Float32Array, live: Int32Array, nLive: number, c0: number, count: number): void {
    const addon = this.native();
    if (!addon) {
      for (let q = 0; q < nLive; q++) this.scanRow(live[q], tile, live[q] * count, c0, count);
      return;
    }
    // Native calls over groups of rows (one call for the whole tile at the default size): the same records as
    // scanRow, row after row (native/src/select.c), in a buffer of at most ~KEPT_BUFFER records whatever the tile size.
    const rows = Math.max(1, Math.min(nLive, Math.floor(KEPT_BUFFER / count)));
    this.reserveKept(rows * count);
    if (this.rowEnd.length < rows) this.rowEnd = new Int32Array(rows);
    const rowEnd = this.rowEnd;
    const block = this.blockArgs(tile, c0, count);
    for (let q0 = 0; q0 < nLive; q0 += rows) {
      const n = Math.min(rows, nLive - q0);
      const group = live.subarray(q0, q0 + n);
      addon.select(...block, group, n, this.keptN, this.keptX, this.keptA, this.keptB, rowEnd);
      let from = 0;
      for (let q = 0; q < n; q++) {
        const to = rowEnd[q];
        if (to > from) this.take(group[q], from, to);
        from = to;
      }
    }
  }

  /**
   * For from ≤ t < to: negative keptN[t] (canonical value keptX[t]) forms a kept triplet with the positives at sorted
   * entries keptA[t] … keptB[t]−1 of anchor i. Negatives come in ascending row order.
   */
  protected abstract take(i: number, from: number, to: number): void;

  abstract override finishBlock(out: TripletBuffer): void;
}
