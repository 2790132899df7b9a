/**
 * The interface between the streaming core and a strategy. The core calls, for one anchor block:
 * `beginBlock` (with the block's positives), `scanRow` for every (anchor row, candidate tile) — candidate tiles come in
 * ascending row order — and `finishBlock`, which must emit the block's triplets sorted by (anchor, positive, negative).
 * A selector's memory is O(block output), and its result must not depend on how candidates were cut into tiles.
 */
import type { BlockPositives } from '../core/blockPositives.ts';
import type { PendingBlock } from '../core/pendingBlock.ts';
import type { Prepared } from '../core/prepare.ts';
import type { TripletBuffer } from '../core/tripletBuffer.ts';
import type { ResolvedOptions } from '../core/types.ts';

export interface Selector {
  beginBlock(a0: number, count: number, positives: BlockPositives): void;
  /** Anchor row `i` of the block against candidates c0…c0+count−1, whose raw values are tile[off…off+count−1]. */
  scanRow(i: number, tile: Float32Array, off: number, c0: number, count: number): void;
  /**
   * The same as `scanRow(live[q], tile, live[q] * count, c0, count)` for q < nLive, in that order (a selector may do it
   * in one native call).
   */
  scanRows?(tile: Float32Array, live: Int32Array, nLive: number, c0: number, count: number): void;
  finishBlock(out: TripletBuffer): void;
  /**
   * Instead of `finishBlock`: the block's triplets counted but not yet written, for output-heavy selectors whose
   * blocks can be expanded straight into the caller's arrays or a writer's chunk.
   */
  finishPending?(): PendingBlock;
}

/** The block every selector scans: its first anchor row, its anchor count and their positives (set by beginBlock). */
export abstract class BlockSelector implements Selector {
  protected readonly p: Prepared;
  protected a0 = 0;
  protected count = 0;
  protected pos!: BlockPositives;

  constructor(p: Prepared) {
    this.p = p;
  }

  beginBlock(a0: number, count: number, positives: BlockPositives): void {
    this.a0 = a0;
    this.count = count;
    this.pos = positives;
  }

  abstract scanRow(i: number, tile: Float32Array, off: number, c0: number, count: number): void;
  abstract finishBlock(out: TripletBuffer): void;
}

/** Builds a selector for one thread; it is reused block after block. */
export type SelectorFactory = (prepared: Prepared, options: ResolvedOptions) => Selector;
