/**
 * Uncapped margin strategies: every qualifying triplet, in (anchor, positive, negative) order.
 *
 * Triplets arrive per anchor in (negative tile, positive range) order; each is recorded as (positive slot, negative,
 * value) and the anchor's list is then counting-sorted by slot. Negatives arrive ascending, so the sort being stable
 * gives exactly (positive, negative) order whatever the tile size.
 */
import type { TripletBuffer } from '../core/tripletBuffer.ts';
import { WindowSelector } from './windowSelector.ts';

class Pending {
  length = 0;
  slot = new Int32Array(64);
  neg = new Int32Array(64);
  x = new Float32Array(64);
  grow(extra: number): void {
    let cap = this.slot.length * 2;
    while (cap < this.length + extra) cap *= 2;
    const s = new Int32Array(cap);
    s.set(this.slot.subarray(0, this.length));
    const n = new Int32Array(cap);
    n.set(this.neg.subarray(0, this.length));
    const x = new Float32Array(cap);
    x.set(this.x.subarray(0, this.length));
    this.slot = s;
    this.neg = n;
    this.x = x;
  }
}

export class CollectAll extends WindowSelector {
  private pending: Pending[] = [];

  override beginBlock(...args: Parameters<WindowSelector['beginBlock']>): void {
    super.beginBlock(...args);
    while (this.pending.length < this.count) this.pending.push(new Pending());
    for (let i = 0; i < this.count; i++) this.pending[i].length = 0;
  }

  protected take(i: number, n: number, x: number, A: number, B: number): void {
    const q = this.pending[i];
    const len = B - A;
    if (q.length + len > q.slot.length) q.grow(len);
    const slotOf = this.pos.slot;
    let w = q.length;
    for (let k = A; k < B; k++, w++) {
      q.slot[w] = slotOf[k];
      q.neg[w] = n;
      q.x[w] = x;
    }
    q.length = w;
  }

  finishBlock(out: TripletBuffer): void {
    const { start, row, val, slot } = this.pos;
    const sign = this.p.sign;
    for (let i = 0; i < this.count; i++) {
      const q = this.pending[i];
      if (q.length === 0) continue;
      const s = start[i];
      const np = start[i + 1] - s;
      // Offsets per slot (positives in row order), then a stable scatter.
      const offset = new Int32Array(np + 1);
      for (let t = 0; t < q.length; t++) offset[q.slot[t] + 1]++;
      for (let k = 0; k < np; k++) offset[k + 1] += offset[k];
      const rowOf = new Int32Array(np);
      const valOf = new Float32Array(np);
      for (let k = s; k < s + np; k++) {
        rowOf[slot[k]] = row[k];
        valOf[slot[k]] = val[k];
      }
      out.reserve(q.length);
      const base = out.length;
      const a = this.a0 + i;
      for (let t = 0; t < q.length; t++) {
        const sl = q.slot[t];
        const at = base + offset[sl]++;
        out.anchors[at] = a;
        out.positives[at] = rowOf[sl];
        out.negatives[at] = q.neg[t];
        out.dAp[at] = sign * valOf[sl];
        out.dAn[at] = sign * q.x[t];
      }
      out.length = base + q.length;
      q.length = 0;
    }
  }
}
