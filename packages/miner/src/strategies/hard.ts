import { marginStrategy } from './marginStrategy.ts';

/**
 * Triplets whose negative is no farther than the positive: tm ≤ margin ∧ tm ≤ 0.
 *
 * @example
 * mine(emb, 64, labels, { strategy: 'hard' });
 */
export const hard = marginStrategy({
  name: 'hard',
  pml: 'TripletMarginMiner(type_of_triplets="hard")',
  rule: 'triplets whose negative is no farther than the positive',
  formula: 'd_an ≤ d_ap',
  window: (margin) => ({ lo: Number.NEGATIVE_INFINITY, hi: Math.min(Math.fround(margin), 0) }),
  online: { name: 'hard', rank: 2 },
});
