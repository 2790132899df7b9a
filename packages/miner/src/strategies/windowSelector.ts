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

/** First k in [s, e) with fround(x − val[k]) ≤ t, knowing it holds at e − 1. */
function firstAtMost(val: Float32Array, s: number, e: number, x: number, t: number): number {
  let lo = s;
  let hi = e - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (fround(x - val[mid]) <= t) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export abstract class WindowSelector implements Selector {
  protected readonly p: Prepared;
  protected readonly options: ResolvedOptions;
  protected readonly lo: number;
  protected readonly hi: number;
  protected a0 = 0;
  protected count = 0;
  protected pos!: BlockPositives;

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
    const vFirst = val[s];
    const vLast = val[e - 1];
    for (let j = 0; j < count; j++) {
      const n = c0 + j;
      if (candClass[n] === ac) continue;
      const x = sign * tile[off + j];
      const tmFirst = fround(x - vFirst); // the largest tm of this anchor's positives
      if (!(tmFirst > lo)) continue;
      const tmLast = fround(x - vLast); // the smallest
      if (!(tmLast <= hi)) continue;
      const A = tmFirst <= hi ? s : firstAtMost(val, s, e, x, hi);
      const B = tmLast > lo ? e : firstAtMost(val, s, e, x, lo);
      if (A < B) this.take(i, n, x, A, B);
    }
  }

  /** Negative n (canonical value x) forms a kept triplet with the positives at sorted entries A…B−1 of anchor i. */
  protected abstract take(i: number, n: number, x: number, A: number, B: number): void;

  abstract finishBlock(out: TripletBuffer): void;
}
