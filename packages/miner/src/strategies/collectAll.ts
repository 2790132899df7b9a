/**
 * Uncapped margin strategies: every qualifying triplet, in (anchor, positive, negative) order.
 *
 * While candidate tiles stream by, an anchor keeps one record per negative that qualifies with at least one positive:
 * (negative, value, A, B), the range of sorted positives it pairs with — 16 bytes per negative, however many
 * triplets it forms. At the end of the block the output size is known exactly, so it is allocated once; each
 * positive (in row order) then takes its negatives from the records (already ascending) in one sequential pass, or,
 * when the ranges are short among many positives, each triplet is placed straight at its positive's next slot.
 */
import type { TripletBuffer } from '../core/tripletBuffer.ts';
import { WindowSelector } from './windowSelector.ts';

/** Per-anchor records of qualifying negatives (grow-only, reused across blocks). */
class Records {
  length = 0;
  triplets = 0;
  neg = new Int32Array(64);
  x = new Float32Array(64);
  lo = new Int32Array(64);
  hi = new Int32Array(64);
  grow(): void {
    const cap = this.neg.length * 2;
    const g = <T extends Int32Array | Float32Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(cap);
      b.set(a as never);
      return b;
    };
    this.neg = g(this.neg);
    this.x = g(this.x);
    this.lo = g(this.lo);
    this.hi = g(this.hi);
  }
}

export class CollectAll extends WindowSelector {
  private records: Records[] = [];

  override beginBlock(...args: Parameters<WindowSelector['beginBlock']>): void {
    super.beginBlock(...args);
    while (this.records.length < this.count) this.records.push(new Records());
    for (let i = 0; i < this.count; i++) {
      this.records[i].length = 0;
      this.records[i].triplets = 0;
    }
  }

  protected take(i: number, from: number, to: number): void {
    const r = this.records[i];
    while (r.length + (to - from) > r.neg.length) r.grow();
    const { keptN, keptX, keptA, keptB } = this;
    let w = r.length;
    let triplets = r.triplets;
    for (let t = from; t < to; t++, w++) {
      r.neg[w] = keptN[t];
      r.x[w] = keptX[t];
      r.lo[w] = keptA[t];
      r.hi[w] = keptB[t];
      triplets += keptB[t] - keptA[t];
    }
    r.length = w;
    r.triplets = triplets;
  }

  finishBlock(out: TripletBuffer): void {
    const { start, row, val, slot } = this.pos;
    const sign = this.p.sign;
    let total = 0;
    for (let i = 0; i < this.count; i++) total += this.records[i].triplets;
    out.reserve(total);
    const { anchors, positives, negatives, dAp, dAn } = out;
    let w = out.length;
    for (let i = 0; i < this.count; i++) {
      const r = this.records[i];
      if (r.triplets === 0) continue;
      const s = start[i];
      const np = start[i + 1] - s;
      const a = this.a0 + i;
      // Sorted entry of each positive in row order, and how many triplets each entry has (difference array).
      const byRow = new Int32Array(np);
      const count = new Int32Array(np + 1);
      for (let k = 0; k < np; k++) byRow[slot[s + k]] = s + k;
      for (let t = 0; t < r.length; t++) {
        count[r.lo[t] - s]++;
        count[r.hi[t] - s]--;
      }
      for (let k = 1; k < np; k++) count[k] += count[k - 1];
      if (np * r.length <= 4 * r.triplets) {
        // Dense ranges: one sequential pass over the records per positive writes the output in order.
        for (let q = 0; q < np; q++) {
          const k = byRow[q];
          if (count[k - s] === 0) continue;
          const from = w;
          for (let t = 0; t < r.length; t++) {
            if (r.lo[t] <= k && k < r.hi[t]) {
              negatives[w] = r.neg[t];
              dAn[w] = sign * r.x[t];
              w++;
            }
          }
          anchors.fill(a, from, w);
          positives.fill(row[k], from, w);
          dAp.fill(sign * val[k], from, w);
        }
      } else {
        // Sparse ranges among many positives: place each triplet at its slot's next position (O(output)).
        const at = new Int32Array(np);
        for (let q = 0, o = w; q < np; q++) {
          const k = byRow[q];
          const c = count[k - s];
          at[k - s] = o;
          anchors.fill(a, o, o + c);
          positives.fill(row[k], o, o + c);
          dAp.fill(sign * val[k], o, o + c);
          o += c;
        }
        for (let t = 0; t < r.length; t++) {
          const n = r.neg[t];
          const x = sign * r.x[t];
          for (let k = r.lo[t] - s; k < r.hi[t] - s; k++) {
            const o = at[k]++;
            negatives[o] = n;
            dAn[o] = x;
          }
        }
        w += r.triplets;
      }
    }
    out.length = w;
  }
}
