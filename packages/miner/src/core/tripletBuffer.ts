import { freshFloat32, freshInt32 } from './freshColumns.ts';
import type { MinedTriplets } from './types.ts';

/**
 * Growable column storage for triplets (amortised O(1) push, no per-triplet objects).
 *
 * @example
 * const buf = new TripletBuffer();
 * buf.push(0, 1, 2, 0.3, 0.4);
 * const t = buf.take(); // { anchors: Int32Array [0], ... }
 */
export class TripletBuffer {
  length = 0;
  private cap: number;
  anchors: Int32Array;
  positives: Int32Array;
  negatives: Int32Array;
  dAp: Float32Array;
  dAn: Float32Array;

  constructor(capacity = 1024) {
    this.cap = Math.max(16, capacity);
    this.anchors = new Int32Array(this.cap);
    this.positives = new Int32Array(this.cap);
    this.negatives = new Int32Array(this.cap);
    this.dAp = new Float32Array(this.cap);
    this.dAn = new Float32Array(this.cap);
  }

  /** Makes room for `extra` more triplets. */
  reserve(extra: number): void {
    const need = this.length + extra;
    if (need <= this.cap) return;
    // Exactly `need` when that is more than double: a selector that knows its output size allocates it once.
    const cap = Math.max(need, this.cap * 2);
    const grow = <T extends Int32Array | Float32Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(cap);
      b.set(a.subarray(0, this.length) as never);
      return b;
    };
    this.anchors = grow(this.anchors);
    this.positives = grow(this.positives);
    this.negatives = grow(this.negatives);
    this.dAp = grow(this.dAp);
    this.dAn = grow(this.dAn);
    this.cap = cap;
  }

  push(a: number, p: number, n: number, dAp: number, dAn: number): void {
    if (this.length === this.cap) this.reserve(1);
    const i = this.length++;
    this.anchors[i] = a;
    this.positives[i] = p;
    this.negatives[i] = n;
    this.dAp[i] = dAp;
    this.dAn[i] = dAn;
  }

  /** The triplets so far as exact-length arrays (copied unless the buffer is exactly full); the buffer is emptied. */
  take(): MinedTriplets {
    const n = this.length;
    this.length = 0;
    if (n === this.cap) {
      // Exactly full: hand the arrays over without copying and start afresh.
      const full = {
        anchors: this.anchors,
        positives: this.positives,
        negatives: this.negatives,
        dAp: this.dAp,
        dAn: this.dAn,
      };
      this.cap = 16;
      this.anchors = new Int32Array(16);
      this.positives = new Int32Array(16);
      this.negatives = new Int32Array(16);
      this.dAp = new Float32Array(16);
      this.dAn = new Float32Array(16);
      return full;
    }
    return {
      anchors: this.anchors.slice(0, n),
      positives: this.positives.slice(0, n),
      negatives: this.negatives.slice(0, n),
      dAp: this.dAp.slice(0, n),
      dAn: this.dAn.slice(0, n),
    };
  }
}

/** No triplets. */
export function emptyTriplets(): MinedTriplets {
  return {
    anchors: new Int32Array(0),
    positives: new Int32Array(0),
    negatives: new Int32Array(0),
    dAp: new Float32Array(0),
    dAn: new Float32Array(0),
  };
}

/** Concatenates triplet batches in order. */
export function concatTriplets(parts: MinedTriplets[]): MinedTriplets {
  if (parts.length === 1) return parts[0];
  const n = parts.reduce((s, p) => s + p.anchors.length, 0);
  const out = {
    anchors: freshInt32(n),
    positives: freshInt32(n),
    negatives: freshInt32(n),
    dAp: freshFloat32(n),
    dAn: freshFloat32(n),
  };
  let o = 0;
  for (const p of parts) {
    out.anchors.set(p.anchors, o);
    out.positives.set(p.positives, o);
    out.negatives.set(p.negatives, o);
    out.dAp.set(p.dAp, o);
    out.dAn.set(p.dAn, o);
    o += p.anchors.length;
  }
  return out;
}
