import { marginStrategy } from './marginStrategy.ts';

/**
 * Every triplet inside the margin: tm ≤ margin (PML's default type_of_triplets). Online it is called `batch-all`.
 *
 * @example
 * mine(emb, 64, labels, { strategy: 'all' });
 */
export const all = marginStrategy({
  name: 'all',
  pml: 'TripletMarginMiner(type_of_triplets="all")',
  rule: 'every triplet whose negative is not at least margin farther than the positive',
  formula: 'd_an − d_ap ≤ margin',
  window: (margin) => ({ lo: Number.NEGATIVE_INFINITY, hi: Math.fround(margin) }),
  online: { name: 'batch-all', rank: 4 },
});
