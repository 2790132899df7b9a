/**
 * `negativesPerPair` K (FaceNet's offline selection): for every anchor-positive pair, at most K of the negatives that
 * qualify under the strategy — the hardest (closest to the anchor; ties → lowest row) or a uniform sample (reservoir,
 * RNG deriveSeed(seed, anchor, positive)). With `maxPerAnchor` M as well, M of the anchor's kept triplets are then
 * drawn uniformly (RNG deriveSeed(seed, anchor)). Memory: K entries per anchor-positive pair of the block.
 */
import { deriveSeed, Rng } from '@tripletkit/common';
import type { TripletBuffer } from '../core/tripletBuffer.ts';
import { WindowSelector } from './windowSelector.ts';

export class NegativesPerPair extends WindowSelector {
  private cnt = new Float64Array(0); // qualifying negatives seen per pair (sorted positive entry)
  private neg = new Int32Array(0);
  private x = new Float32Array(0);
  private rngs: (Rng | undefined)[] = [];

  override beginBlock(...args: Parameters<WindowSelector['beginBlock']>): void {
    super.beginBlock(...args);
    const pairs = this.pos.start[this.count];
    const K = this.options.negativesPerPair;
    if (this.cnt.length < pairs) {
      this.cnt = new Float64Array(pairs);
      this.neg = new Int32Array(pairs * K);
      this.x = new Float32Array(pairs * K);
    }
    this.cnt.fill(0, 0, pairs);
    this.rngs = new Array(pairs);
  }

  protected take(i: number, from: number, to: number): void {
    const { keptN, keptX, keptA, keptB } = this;
    for (let t = from; t < to; t++) this.takeOne(i, keptN[t], keptX[t], keptA[t], keptB[t]);
  }

  private takeOne(i: number, n: number, x: number, A: number, B: number): void {
    const K = this.options.negativesPerPair;
    const { cnt, neg } = this;
    const xs = this.x;
    if (this.options.pick === 'hardest') {
      for (let k = A; k < B; k++) {
        const base = k * K;
        const c = cnt[k];
        // Entries are kept sorted by (x, row); a later negative wins only when strictly closer.
        if (c === K && !(x < xs[base + K - 1])) continue;
        let at = c < K ? c : K - 1;
        while (at > 0 && x < xs[base + at - 1]) {
          xs[base + at] = xs[base + at - 1];
          neg[base + at] = neg[base + at - 1];
          at--;
        }
        xs[base + at] = x;
        neg[base + at] = n;
        if (c < K) cnt[k] = c + 1;
      }
      return;
    }
    const row = this.pos.row;
    for (let k = A; k < B; k++) {
      const base = k * K;
      const c = ++cnt[k];
      let at = c - 1;
      if (c > K) {
        let rng = this.rngs[k];
        if (!rng) {
          rng = new Rng(deriveSeed(this.options.seed, this.a0 + i, row[k]));
          this.rngs[k] = rng;
        }
        at = rng.int(c);
        if (at >= K) continue;
      }
      xs[base + at] = x;
      neg[base + at] = n;
    }
  }

  finishBlock(out: TripletBuffer): void {
    const K = this.options.negativesPerPair;
    const M = this.options.maxPerAnchor;
    const { start, row, val, slot } = this.pos;
    const sign = this.p.sign;
    for (let i = 0; i < this.count; i++) {
      const s = start[i];
      const e = start[i + 1];
      // Entries in row order of the positive, then each pair's negatives ascending.
      const byRow = new Int32Array(e - s);
      for (let k = s; k < e; k++) byRow[slot[k]] = k;
      const items: number[] = [];
      for (const k of byRow) {
        const kept = Math.min(K, this.cnt[k]);
        const ids = Array.from({ length: kept }, (_, t) => k * K + t).sort((u, v) => this.neg[u] - this.neg[v]);
        for (const id of ids) items.push(id);
      }
      let chosen = items;
      if (M > 0 && items.length > M) {
        // Partial Fisher-Yates: M uniform picks, then back to canonical order.
        const rng = new Rng(deriveSeed(this.options.seed, this.a0 + i));
        const idx = Array.from({ length: items.length }, (_, t) => t);
        for (let t = 0; t < M; t++) {
          const r = t + rng.int(idx.length - t);
          const tmp = idx[t];
          idx[t] = idx[r];
          idx[r] = tmp;
        }
        chosen = idx
          .slice(0, M)
          .sort((u, v) => u - v)
          .map((t) => items[t]);
      }
      const a = this.a0 + i;
      for (const id of chosen) {
        const k = Math.floor(id / K);
        out.push(a, row[k], this.neg[id], sign * val[k], sign * this.x[id]);
      }
    }
  }
}
