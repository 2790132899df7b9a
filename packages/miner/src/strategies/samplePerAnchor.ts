/**
 * `maxPerAnchor` K: a uniform sample (without replacement) of K of each anchor's qualifying triplets, in O(K) memory
 * per anchor.
 *
 * Reservoir sampling with Li's Algorithm L, which jumps straight to the next accepted item: a negative contributes a
 * whole range of items (one per qualifying positive) at once, so an anchor costs O(candidates + K·log(T/K)) however
 * many triplets T it has. Each anchor has its own RNG (deriveSeed(seed, anchor)) and sees its items in a fixed order
 * (negatives ascending; positives by (distance, row)), so the sample depends only on the seed — never on the tile
 * size, the worker count or the shard.
 */
import { deriveSeed, Rng } from '@tripletkit/common';
import type { TripletBuffer } from '../core/tripletBuffer.ts';
import { WindowSelector } from './windowSelector.ts';

/** A uniform draw in (0, 1): never 0, so its logarithm is finite. */
function open01(rng: Rng): number {
  return (rng.nextU32() + 0.5) / 4294967296;
}

export class SamplePerAnchor extends WindowSelector {
  private seen = new Float64Array(0);
  private next = new Float64Array(0);
  private w = new Float64Array(0);
  private rngs: Rng[] = [];
  private kPos = new Int32Array(0); // sorted positive entry of each kept item
  private kNeg = new Int32Array(0);
  private kX = new Float32Array(0);
  // Native scan (scanRows): pending rows, where each resumes, and each stopped row's event.
  private pend = new Int32Array(0);
  private resume = new Int32Array(0);
  private evN = new Int32Array(0);
  private evX = new Float32Array(0);
  private evA = new Int32Array(0);
  private evItems = new Int32Array(0);

  override beginBlock(...args: Parameters<WindowSelector['beginBlock']>): void {
    super.beginBlock(...args);
    const n = this.count;
    const K = this.options.maxPerAnchor;
    if (this.seen.length < n) {
      this.seen = new Float64Array(n);
      this.next = new Float64Array(n);
      this.w = new Float64Array(n);
      this.kPos = new Int32Array(n * K);
      this.kNeg = new Int32Array(n * K);
      this.kX = new Float32Array(n * K);
    }
    this.seen.fill(0, 0, n);
    this.next.fill(1, 0, n); // while filling, every item is accepted
    this.rngs.length = 0;
    for (let i = 0; i < n; i++) this.rngs.push(new Rng(deriveSeed(this.options.seed, this.a0 + i)));
  }

  private put(i: number, slot: number, k: number, n: number, x: number): void {
    const at = i * this.options.maxPerAnchor + slot;
    this.kPos[at] = k;
    this.kNeg[at] = n;
    this.kX[at] = x;
  }

  protected take(i: number, from: number, to: number): void {
    const { keptN, keptX, keptA, keptB } = this;
    let seen = this.seen[i];
    let next = this.next[i];
    for (let t = from; t < to; t++) {
      const end = seen + (keptB[t] - keptA[t]);
      // Fast path (almost every negative once the reservoir is full): none of its items is accepted.
      if (end >= next) {
        this.accept(i, keptN[t], keptX[t], keptA[t], seen, end);
        next = this.next[i];
      }
      seen = end;
    }
    this.seen[i] = seen;
  }

  /**
   * With the addon, the scan itself skips the negatives none of whose items is accepted (the fast path of take) and
   * stops a row at each other one, which goes through accept exactly as in take; then the row resumes.
   */
  override scanRows(tile: Float32Array, live: Int32Array, nLive: number, c0: number, count: number): void {
    const addon = this.native();
    if (!addon) {
      super.scanRows(tile, live, nLive, c0, count);
      return;
    }
    if (this.pend.length < nLive) {
      this.pend = new Int32Array(nLive);
      this.resume = new Int32Array(nLive);
      this.evN = new Int32Array(nLive);
      this.evX = new Float32Array(nLive);
      this.evA = new Int32Array(nLive);
      this.evItems = new Int32Array(nLive);
    }
    const { pend, resume, evN, evX, evA, evItems, seen } = this;
    for (let q = 0; q < nLive; q++) pend[q] = q;
    resume.fill(0, 0, nLive);
    const block = this.blockArgs(tile, c0, count);
    let n = nLive;
    while (n > 0) {
      n = addon.sample(...block, live, pend, n, resume, seen, this.next, evN, evX, evA, evItems);
      for (let r = 0; r < n; r++) {
        const i = live[pend[r]];
        const base = seen[i];
        const end = base + evItems[r];
        this.accept(i, evN[r], evX[r], evA[r], base, end);
        seen[i] = end;
      }
    }
  }

  /** Items base+1 … end come from negative n (value x) with the positives at sorted entries A, A+1, …. */
  private accept(i: number, n: number, x: number, A: number, base: number, end: number): void {
    const K = this.options.maxPerAnchor;
    const rng = this.rngs[i];
    let t = base;
    while (t < K && t < end) {
      this.put(i, t, A + (t - base), n, x);
      t++;
      if (t === K) {
        this.w[i] = Math.exp(Math.log(open01(rng)) / K);
        this.next[i] = K + Math.floor(Math.log(open01(rng)) / Math.log(1 - this.w[i])) + 1;
      }
    }
    if (t >= K) {
      let next = this.next[i];
      let w = this.w[i];
      while (next <= end) {
        this.put(i, rng.int(K), A + (next - base - 1), n, x);
        w *= Math.exp(Math.log(open01(rng)) / K);
        next += Math.floor(Math.log(open01(rng)) / Math.log(1 - w)) + 1;
      }
      this.next[i] = next;
      this.w[i] = w;
    }
  }

  finishBlock(out: TripletBuffer): void {
    const K = this.options.maxPerAnchor;
    const { row, val } = this.pos;
    const sign = this.p.sign;
    for (let i = 0; i < this.count; i++) {
      const kept = Math.min(K, this.seen[i]);
      if (kept === 0) continue;
      const order = Array.from({ length: kept }, (_, s) => i * K + s);
      order.sort((u, v) => row[this.kPos[u]] - row[this.kPos[v]] || this.kNeg[u] - this.kNeg[v]);
      const a = this.a0 + i;
      for (const at of order) {
        const k = this.kPos[at];
        out.push(a, row[k], this.kNeg[at], sign * val[k], sign * this.kX[at]);
      }
    }
  }
}
