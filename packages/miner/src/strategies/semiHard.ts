import { marginStrategy } from './marginStrategy.ts';

/**
 * Triplets whose negative is farther than the positive but inside the margin: 0 < tm ≤ margin.
 *
 * @example
 * mine(emb, 64, labels, { strategy: 'semi-hard' });
 */
export const semiHard = marginStrategy({
  name: 'semi-hard',
  pml: 'TripletMarginMiner(type_of_triplets="semihard")',
  rule: 'triplets whose negative is farther than the positive, but by no more than margin',
  formula: 'd_ap < d_an ≤ d_ap + margin',
  window: (margin) => ({ lo: 0, hi: Math.fround(margin) }),
  online: { name: 'semi-hard', rank: 0 },
});
