/**
 * A mined anchor block whose size is known but whose triplets are not written yet. Output-heavy strategies keep a
 * compact description of the block (16 bytes per qualifying negative, however many triplets it forms) and expand it
 * into the caller's arrays: `mine()` into one exactly-sized result, the file writer into a small reused chunk that it
 * writes out, so an output of any size streams through a few megabytes.
 */

import { freshFloat32, freshInt32 } from './freshColumns.ts';
import { emptyTriplets } from './tripletBuffer.ts';
import type { MinedTriplets } from './types.ts';

/** Parallel output columns (same layout as {@link MinedTriplets}); only positions the caller names are written. */
export type TripletColumns = MinedTriplets;

export interface PendingBlock {
  /** The block's triplets, all of them, known before any is written. */
  readonly total: number;
  /** Triplets not written yet. */
  readonly remaining: number;
  /**
   * Writes the next triplets in canonical order to `out` from position `at`, stopping before `cap`; returns the
   * position after the last one written. Any room of {@link PendingBlock.step} or more makes progress.
   */
  expand(out: TripletColumns, at: number, cap: number): number;
  /** The most room one expansion step needs (a chunk at least this large always progresses). */
  readonly step: number;
  /** Hands the block's working storage back for the next block (optional; only once it is fully expanded). */
  release?(): void;
  /** Bytes this description holds (so a caller keeping many can tell when writing them out is cheaper). */
  readonly retainedBytes: number;
}

/** A block already held as arrays (the capped strategies, whose output is small): expansion copies. */
export class MaterializedBlock implements PendingBlock {
  private done = 0;
  readonly total: number;
  readonly step = 1;
  readonly retainedBytes: number;
  constructor(private readonly t: MinedTriplets) {
    this.total = t.anchors.length;
    this.retainedBytes = 20 * this.total;
  }
  get remaining(): number {
    return this.total - this.done;
  }
  /** The arrays themselves (no copy); the block is then done. */
  expandAll(): MinedTriplets {
    this.done = this.total;
    return this.t;
  }
  expand(out: TripletColumns, at: number, cap: number): number {
    const n = Math.min(cap - at, this.remaining);
    const { t } = this;
    const d = this.done;
    out.anchors.set(t.anchors.subarray(d, d + n), at);
    out.positives.set(t.positives.subarray(d, d + n), at);
    out.negatives.set(t.negatives.subarray(d, d + n), at);
    out.dAp.set(t.dAp.subarray(d, d + n), at);
    out.dAn.set(t.dAn.subarray(d, d + n), at);
    this.done += n;
    return at + n;
  }
}

/** Allocates exactly-sized columns for `n` triplets (on huge pages when large: see freshColumns.ts). */
export function allocTriplets(n: number): MinedTriplets {
  if (n === 0) return emptyTriplets();
  return {
    anchors: freshInt32(n),
    positives: freshInt32(n),
    negatives: freshInt32(n),
    dAp: freshFloat32(n),
    dAn: freshFloat32(n),
  };
}

/**
 * The whole block as exactly-sized arrays.
 *
 * @example
 * const t = materialize(miner.scan(0, 512));
 */
export function materialize(b: PendingBlock): MinedTriplets {
  if (b instanceof MaterializedBlock && b.remaining === b.total) return b.expandAll();
  const out = allocTriplets(b.remaining);
  let w = 0;
  while (b.remaining > 0) w = b.expand(out, w, out.anchors.length);
  return out;
}
