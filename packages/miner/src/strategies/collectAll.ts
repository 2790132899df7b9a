/**
 * Uncapped margin strategies: every qualifying triplet, in (anchor, positive, negative) order.
 *
 * While candidate tiles stream by, an anchor keeps one record per negative that qualifies with at least one positive:
 * (negative, value, A, B), the range of sorted positives it pairs with — 16 bytes per negative, however many
 * triplets it forms. At the end of the block the output size is known exactly, so the block is handed on as a
 * {@link PendingBlock} that expands into whatever room the caller has: one exactly-sized result for `mine()`, or a
 * small reused chunk that the file writer writes out (output of any size, a few megabytes of memory).
 */
import type { BlockPositives } from '../core/blockPositives.ts';
import type { PendingBlock, TripletColumns } from '../core/pendingBlock.ts';
import type { TripletBuffer } from '../core/tripletBuffer.ts';
import { countTriplets, type ExpansionBlock, expandAnchor, expandPositives } from './expandRecords.ts';
import { WindowSelector } from './windowSelector.ts';

/** Per-anchor records of qualifying negatives (grow-only, reused across blocks). */
export class Records {
  length = 0;
  triplets = 0;
  neg: Int32Array = new Int32Array(64);
  x: Float32Array = new Float32Array(64);
  lo: Int32Array = new Int32Array(64);
  hi: Int32Array = new Int32Array(64);
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

  /**
   * The block's triplets as a pending expansion. It owns this block's records and positives: the selector starts
   * the next block with fresh ones (so several blocks may be pending at once).
   */
  finishPending(): PendingBlock {
    const records = this.records.slice(0, this.count);
    this.records = this.records.slice(this.count);
    const block = new RecordsBlock(this.a0, this.pos, records, this.p.sign, this.p.nC);
    block.release = () => {
      // Back to the pool once written (fresh memory is what costs most in an output-heavy run).
      if (block.remaining === 0) this.records.push(...records);
      block.release = undefined;
    };
    return block;
  }

  finishBlock(out: TripletBuffer): void {
    const b = this.finishPending();
    out.reserve(b.total);
    out.length = b.expand(out, out.length, out.length + b.total);
    b.release?.();
  }
}

/**
 * A {@link RecordsBlock} as flat arrays, for another thread: per anchor i, records recStart[i] … recStart[i+1]−1 and
 * triplets[i] triplets. Every array is freshly allocated, so all of them can be transferred rather than copied.
 */
export interface PackedRecords {
  readonly a0: number;
  readonly sign: number;
  readonly nC: number;
  readonly pos: BlockPositives;
  readonly recStart: Int32Array;
  readonly triplets: Float64Array;
  readonly neg: Int32Array;
  readonly x: Float32Array;
  readonly lo: Int32Array;
  readonly hi: Int32Array;
}

/** A block of {@link CollectAll} records being expanded; resumes at (anchor, positive in row order). */
export class RecordsBlock implements PendingBlock, ExpansionBlock {
  readonly total: number;
  readonly step: number;
  readonly retainedBytes: number;
  release?: () => void;
  private written = 0;
  private i = 0;
  private q = 0;
  // Per-anchor counts for the positive-by-positive path (anchor `countsFor`).
  private countsFor = -1;
  private byRow = new Int32Array(0);
  private count = new Int32Array(0);

  constructor(
    readonly a0: number,
    readonly pos: BlockPositives,
    readonly records: Records[],
    readonly sign: number,
    private readonly nC: number,
  ) {
    let total = 0;
    let bytes = 12 * pos.row.length;
    for (const r of records) {
      total += r.triplets;
      bytes += 16 * r.neg.length;
    }
    this.total = total;
    this.retainedBytes = bytes;
    // One positive's triplets: at most one per candidate.
    this.step = Math.max(1, nC);
  }

  get remaining(): number {
    return this.total - this.written;
  }

  /**
   * The whole block, copied into flat arrays (16 bytes per record, a small fraction of the triplets they stand for)
   * and counted as written, so that its records go back to the selector's pool on release.
   *
   * @example
   * const packed = block.pack(); block.release?.(); port.postMessage(packed, transferList(packed));
   */
  pack(): PackedRecords {
    const { records } = this;
    const recStart = new Int32Array(records.length + 1);
    const triplets = new Float64Array(records.length);
    for (let i = 0; i < records.length; i++) {
      recStart[i + 1] = recStart[i] + records[i].length;
      triplets[i] = records[i].triplets;
    }
    const n = recStart[records.length];
    const neg = new Int32Array(n);
    const x = new Float32Array(n);
    const lo = new Int32Array(n);
    const hi = new Int32Array(n);
    for (let i = 0; i < records.length; i++) {
      const r = records[i];
      const s = recStart[i];
      neg.set(r.neg.subarray(0, r.length), s);
      x.set(r.x.subarray(0, r.length), s);
      lo.set(r.lo.subarray(0, r.length), s);
      hi.set(r.hi.subarray(0, r.length), s);
    }
    this.written = this.total;
    const { a0, sign, nC, pos } = this;
    return { a0, sign, nC, pos, recStart, triplets, neg, x, lo, hi };
  }

  /**
   * The block {@link RecordsBlock.pack} described, over views of its arrays (no copy).
   *
   * @example
   * const block = RecordsBlock.unpack(packed); while (block.remaining > 0) w = block.expand(chunk, 0, size);
   */
  static unpack(p: PackedRecords): RecordsBlock {
    const records: Records[] = [];
    for (let i = 0; i + 1 < p.recStart.length; i++) {
      const s = p.recStart[i];
      const e = p.recStart[i + 1];
      const r = new Records();
      r.neg = p.neg.subarray(s, e);
      r.x = p.x.subarray(s, e);
      r.lo = p.lo.subarray(s, e);
      r.hi = p.hi.subarray(s, e);
      r.length = e - s;
      r.triplets = p.triplets[i];
      records.push(r);
    }
    return new RecordsBlock(p.a0, p.pos, records, p.sign, p.nC);
  }

  expand(out: TripletColumns, at: number, cap: number): number {
    const { records, pos } = this;
    let w = at;
    while (this.i < records.length) {
      const i = this.i;
      const r = records[i];
      if (r.triplets === 0) {
        this.i++;
        continue;
      }
      if (this.q === 0 && r.triplets <= cap - w) {
        // The whole anchor fits: write it in one go (dense or sparse, see expandAnchor).
        w = expandAnchor(this, i, out, w);
        this.i++;
        continue;
      }
      // It would fit in an emptier chunk: hand back what we have first.
      if (w > at && r.triplets <= cap - at) break;
      if (this.countsFor !== i) this.prepareCounts(i);
      const s = pos.start[i];
      const np = pos.start[i + 1] - s;
      // As many of the next positives as fit, in one call.
      let q2 = this.q;
      for (let room = cap - w; q2 < np; q2++) {
        const c = this.count[this.byRow[q2] - s];
        if (c > room) break;
        room -= c;
      }
      if (q2 > this.q) {
        w = expandPositives(this, i, out, w, this.q, q2, this.byRow, this.count);
        this.q = q2;
      }
      if (this.q < np) break;
      this.i++;
      this.q = 0;
    }
    this.written += w - at;
    return w;
  }

  private prepareCounts(i: number): void {
    const np = this.pos.start[i + 1] - this.pos.start[i];
    if (this.byRow.length < np + 1) {
      this.byRow = new Int32Array(np + 1);
      this.count = new Int32Array(np + 1);
    }
    countTriplets(this, i, this.byRow, this.count);
    this.countsFor = i;
  }
}
