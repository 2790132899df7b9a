/**
 * Shared streaming scan of the margin strategies (all, hard, semi-hard, easy).
 *
 * An anchor's positives are sorted by canonical value v ascending, so tm = fround(x − v) is non-increasing along
 * them (fround and subtraction are monotone). Hence, for one negative, the positives that satisfy lo < tm ≤ hi form a
 * contiguous range [A, B): A = first with tm ≤ hi, B = first with tm ≤ lo. Two comparisons reject most negatives;
 * otherwise two binary searches find the range. The exact float32 predicate is evaluated at every step, so the range
 * is exactly the brute-force set.
 */
import type { BlockPositives } from '../core/blockPositives.ts';
import type { Prepared } from '../core/prepare.ts';
import type { TripletBuffer } from '../core/tripletBuffer.ts';
import type { ResolvedOptions } from '../core/types.ts';
import { marginWindow } from './marginWindow.ts';
import type { Selector } from './selector.ts';

const fround = Math.fround;

// Float32 values in order: key k ∈ [0, 2^32) ↔ the float whose bits are k − 2^31 (k ≥ 2^31) or ~k (negatives).
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const KEY_NEG_INF = ~0xff800000 >>> 0;
const KEY_POS_INF = 0x7f800000 + 0x80000000;

function floatOfKey(k: number): number {
  u32[0] = k >= 0x80000000 ? k - 0x80000000 : ~k >>> 0;
  return f32[0];
}

/** Smallest float32 x (−∞ … +∞) with pred(x), for pred monotone false → true; +∞ if only +∞ (or none) qualifies. */
function firstFloat(pred: (x: number) => boolean): number {
  let a = KEY_NEG_INF;
  let b = KEY_POS_INF;
  while (a < b) {
    const mid = Math.floor((a + b) / 2);
    if (pred(floatOfKey(mid))) b = mid;
    else a = mid + 1;
  }
  return floatOfKey(a);
}

/** Largest float32 x with pred(x), for pred monotone true → false; −∞ if only −∞ (or none) qualifies. */
function lastFloat(pred: (x: number) => boolean): number {
  let a = KEY_NEG_INF;
  let b = KEY_POS_INF;
  while (a < b) {
    const mid = Math.ceil((a + b) / 2);
    if (pred(floatOfKey(mid))) a = mid;
    else b = mid - 1;
  }
  return floatOfKey(a);
}

/** Buckets per positive in the lookup that turns "first positive with value ≥ y" into a table read. */
const BUCKETS_PER_POSITIVE = 16;
const MAX_BUCKETS = 16384;

export abstract class WindowSelector implements Selector {
  protected readonly p: Prepared;
  protected readonly options: ResolvedOptions;
  protected readonly lo: number;
  protected readonly hi: number;
  protected a0 = 0;
  protected count = 0;
  protected pos!: BlockPositives;
  // Per anchor of the block: a bucket table over [vmin, vmax] of its sorted positive values (see guess()).
  private tabStart = new Int32Array(1);
  private table = new Int32Array(0);
  private vmin = new Float64Array(0);
  private scale = new Float64Array(0);
  private cand = new Int32Array(0);
  private boundLo = new Float64Array(0);
  private boundHi = new Float64Array(0);
  private boundsRow = new Int32Array(0);
  private boundsEpoch = 0;

  constructor(p: Prepared, options: ResolvedOptions) {
    this.p = p;
    this.options = options;
    const w = marginWindow(options.strategy as 'all', options.margin);
    this.lo = w.lo;
    this.hi = w.hi;
  }

  beginBlock(a0: number, count: number, positives: BlockPositives): void {
    this.a0 = a0;
    this.count = count;
    this.pos = positives;
    const { start, val } = positives;
    if (this.tabStart.length < count + 1) {
      this.tabStart = new Int32Array(count + 1);
      this.vmin = new Float64Array(count);
      this.scale = new Float64Array(count);
      this.boundLo = new Float64Array(count);
      this.boundHi = new Float64Array(count);
      this.boundsRow = new Int32Array(count);
    }
    this.boundsEpoch++;
    let total = 0;
    for (let i = 0; i < count; i++) {
      this.tabStart[i] = total;
      const np = start[i + 1] - start[i];
      if (np > 0) total += Math.min(MAX_BUCKETS, BUCKETS_PER_POSITIVE * np) + 1;
    }
    this.tabStart[count] = total;
    if (this.table.length < total) this.table = new Int32Array(total);
    for (let i = 0; i < count; i++) {
      const s = start[i];
      const np = start[i + 1] - s;
      if (np === 0) continue;
      const nb = this.tabStart[i + 1] - this.tabStart[i] - 1;
      const lo = val[s];
      const span = val[s + np - 1] - lo;
      const scale = span > 0 ? nb / span : 0;
      this.vmin[i] = lo;
      this.scale[i] = scale;
      // table[b] = first k with val[s + k] ≥ lo + b / scale (b = 0 … nb).
      const t0 = this.tabStart[i];
      let k = 0;
      for (let b = 0; b <= nb; b++) {
        const thr = scale > 0 ? lo + b / scale : lo;
        while (k < np && val[s + k] < thr) k++;
        this.table[t0 + b] = s + k;
      }
    }
  }

  scanRow(i: number, tile: Float32Array, off: number, c0: number, count: number): void {
    const { start, val } = this.pos;
    const s = start[i];
    const e = start[i + 1];
    if (s === e) return;
    const { candClass, sign } = this.p;
    const ac = this.p.anchorClass[this.a0 + i];
    const lo = this.lo;
    const hi = this.hi;

    // Phase 1, branch-free: keep the candidates whose value can pair with some positive. Exactly those with
    // fround(x − v_first) > lo and fround(x − v_last) ≤ hi, i.e. x in [xLo, xHi] (float32 thresholds found once per
    // row). Most candidates are far from every window; a compaction loop without branches skips them at ~1 ns each.
    const [xLo, xHi] = this.bounds(i, val[s], val[e - 1]);
    if (this.cand.length < count) this.cand = new Int32Array(count);
    const cand = this.cand;
    let m = 0;
    if (sign > 0) {
      for (let j = 0; j < count; j++) {
        const t = tile[off + j];
        cand[m] = j;
        m += +(t >= xLo) & +(t <= xHi);
      }
    } else {
      const tLo = -xHi;
      const tHi = -xLo;
      for (let j = 0; j < count; j++) {
        const t = tile[off + j];
        cand[m] = j;
        m += +(t >= tLo) & +(t <= tHi);
      }
    }

    // Phase 2: the exact range of positives for each kept candidate.
    const table = this.table;
    const t0 = this.tabStart[i];
    const top = this.tabStart[i + 1] - t0 - 1;
    const vmin = this.vmin[i];
    const scale = this.scale[i];
    // With no lower (upper) bound on tm, every positive passes it: B = e (A = s).
    const hasLo = lo > Number.NEGATIVE_INFINITY;
    const hasHi = hi < Number.POSITIVE_INFINITY;
    for (let q = 0; q < m; q++) {
      const j = cand[q];
      const n = c0 + j;
      if (candClass[n] === ac) continue;
      const x = sign * tile[off + j];
      // A = first positive with tm ≤ hi, i.e. (up to rounding) value ≥ x − hi: guessed from the bucket table, then
      // walked to the exact boundary with PML's float32 predicate (walks are ~0 steps, so branches predict well).
      let A = s;
      if (hasHi) {
        A = table[t0 + (Math.min(top, Math.max(0, (x - hi - vmin) * scale)) | 0)];
        while (A > s && fround(x - val[A - 1]) <= hi) A--;
        while (A < e && !(fround(x - val[A]) <= hi)) A++;
      }
      let B = e;
      if (hasLo) {
        B = table[t0 + (Math.min(top, Math.max(0, (x - lo - vmin) * scale)) | 0)];
        while (B > s && fround(x - val[B - 1]) <= lo) B--;
        while (B < e && !(fround(x - val[B]) <= lo)) B++;
      }
      if (A < B) this.take(i, n, x, A, B);
    }
  }

  /**
   * Float32 thresholds [xLo, xHi] on the canonical value x such that fround(x − vFirst) > lo ⟺ x ≥ xLo and
   * fround(x − vLast) ≤ hi ⟺ x ≤ xHi (both predicates are monotone in x). Cached per anchor row.
   */
  private bounds(i: number, vFirst: number, vLast: number): [number, number] {
    if (this.boundsRow[i] === this.boundsEpoch) return [this.boundLo[i], this.boundHi[i]];
    const lo = this.lo;
    const hi = this.hi;
    const xLo = lo === Number.NEGATIVE_INFINITY ? lo : firstFloat((x) => fround(x - vFirst) > lo);
    const xHi = hi === Number.POSITIVE_INFINITY ? hi : lastFloat((x) => fround(x - vLast) <= hi);
    this.boundLo[i] = xLo;
    this.boundHi[i] = xHi;
    this.boundsRow[i] = this.boundsEpoch;
    return [xLo, xHi];
  }

  /** Negative n (canonical value x) forms a kept triplet with the positives at sorted entries A…B−1 of anchor i. */
  protected abstract take(i: number, n: number, x: number, A: number, B: number): void;

  abstract finishBlock(out: TripletBuffer): void;
}
