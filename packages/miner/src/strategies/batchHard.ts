/**
 * BatchHardMiner (PML miners/batch_hard_miner.py): per anchor, the hardest positive (largest distance / smallest
 * similarity) and the hardest negative (smallest distance / largest similarity); anchors lacking either are dropped.
 * Ties go to the lowest row, as torch.max/min(dim=1) return the first extremum. The negative is a running minimum
 * across candidate tiles, so memory is O(block).
 */
import type { BlockPositives } from '../core/blockPositives.ts';
import type { TripletBuffer } from '../core/tripletBuffer.ts';
import { BlockSelector } from './selector.ts';
import type { StrategyDef } from './strategy.ts';

export class BatchHard extends BlockSelector {
  private bestX = new Float32Array(0);
  private bestN = new Int32Array(0);

  override beginBlock(a0: number, count: number, positives: BlockPositives): void {
    super.beginBlock(a0, count, positives);
    if (this.bestX.length < count) {
      this.bestX = new Float32Array(count);
      this.bestN = new Int32Array(count);
    }
    this.bestX.fill(Number.POSITIVE_INFINITY, 0, count);
    this.bestN.fill(-1, 0, count);
  }

  scanRow(i: number, tile: Float32Array, off: number, c0: number, count: number): void {
    if (this.pos.start[i] === this.pos.start[i + 1]) return; // dropped anyway
    const { candClass, sign } = this.p;
    const ac = this.p.anchorClass[this.a0 + i];
    let best = this.bestX[i];
    let bestN = this.bestN[i];
    for (let j = 0; j < count; j++) {
      const x = sign * tile[off + j];
      // Strict: candidates arrive in ascending row order, so the first of equal values is kept.
      if (x < best && candClass[c0 + j] !== ac) {
        best = x;
        bestN = c0 + j;
      }
    }
    this.bestX[i] = best;
    this.bestN[i] = bestN;
  }

  finishBlock(out: TripletBuffer): void {
    const { start, row, val } = this.pos;
    const sign = this.p.sign;
    for (let i = 0; i < this.count; i++) {
      const s = start[i];
      let k = start[i + 1] - 1;
      if (k < s || this.bestN[i] < 0) continue;
      // Positives are sorted by (value, row): the farthest is the first entry of the last run of equal values.
      while (k > s && val[k - 1] === val[k]) k--;
      out.push(this.a0 + i, row[k], this.bestN[i], sign * val[k], sign * this.bestX[i]);
    }
  }
}

/**
 * The registered `batch-hard` strategy (offline and online; it takes no margin and no caps).
 *
 * @example
 * mine(emb, 64, labels, { strategy: 'batch-hard' });
 */
export const batchHard: StrategyDef<'batch-hard', true, 'batch-hard'> = {
  name: 'batch-hard',
  pml: 'BatchHardMiner()',
  rule: 'per anchor, its hardest positive with its hardest negative',
  formula: 'farthest positive + nearest negative per anchor',
  options: [],
  offline: true,
  online: { name: 'batch-hard', rank: 3 },
  selector: (p) => new BatchHard(p),
};
