/**
 * The streaming core for one anchor block: pass 1 gathers each anchor's positives (small per-class tiles), pass 2
 * streams candidate tiles in ascending row order through the strategy's selector. Memory: one tile of
 * tileSize × tileSize floats plus the block's positives and output — never N×N.
 */
import { distanceTile } from '../distances/index.ts';
import { createSelector } from '../strategies/createSelector.ts';
import type { Selector } from '../strategies/selector.ts';
import { blockPositives, Scratch } from './blockPositives.ts';
import { MaterializedBlock, materialize, type PendingBlock } from './pendingBlock.ts';
import type { Prepared } from './prepare.ts';
import { TripletBuffer } from './tripletBuffer.ts';
import type { MinedTriplets, ResolvedOptions } from './types.ts';

/** Per-thread state reused across blocks. */
export interface BlockMiner {
  mine(a0: number, a1: number): MinedTriplets;
  /** The block's triplets, counted but not yet written (see PendingBlock). */
  scan(a0: number, a1: number): PendingBlock;
}

/**
 * @example
 * const miner = blockMiner(prepared, options);
 * const first = miner.mine(0, 256);
 */
export function blockMiner(p: Prepared, options: ResolvedOptions): BlockMiner {
  const scratch = new Scratch();
  const selector: Selector = createSelector(p, options);
  const { dim, nC } = p;
  const T = options.tileSize;
  function scan(a0: number, a1: number): PendingBlock {
    const nb = a1 - a0;
    const pos = blockPositives(p, options, a0, a1, scratch);
    selector.beginBlock(a0, nb, pos);
    if (pos.start[nb] > 0) {
      const aRows = p.anchors.subarray(a0 * dim, a1 * dim);
      const aNorms = p.anchorNorms.subarray(a0, a1);
      const tile = scratch.f('tile', nb * Math.min(T, nC));
      // Anchors without positives produce nothing; skip their rows.
      const live = scratch.i('live', nb);
      let nLive = 0;
      for (let i = 0; i < nb; i++) if (pos.start[i + 1] > pos.start[i]) live[nLive++] = i;
      for (let c0 = 0; c0 < nC; c0 += T) {
        const cnt = Math.min(T, nC - c0);
        distanceTile(
          aRows,
          nb,
          p.cands.subarray(c0 * dim, (c0 + cnt) * dim),
          cnt,
          dim,
          options.distance,
          tile,
          aNorms,
          p.candNorms.subarray(c0, c0 + cnt),
        );
        if (selector.scanRows) selector.scanRows(tile, live, nLive, c0, cnt);
        else for (let q = 0; q < nLive; q++) selector.scanRow(live[q], tile, live[q] * cnt, c0, cnt);
      }
    }
    if (selector.finishPending) return selector.finishPending();
    const out = new TripletBuffer(16);
    selector.finishBlock(out);
    return new MaterializedBlock(out.take());
  }
  return { scan, mine: (a0, a1) => materialize(scan(a0, a1)) };
}
