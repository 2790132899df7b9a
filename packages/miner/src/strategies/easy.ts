import { marginStrategy } from './marginStrategy.ts';

/**
 * Triplets already satisfied by more than the margin: tm > margin (offline only: they carry no loss).
 *
 * @example
 * mine(emb, 64, labels, { strategy: 'easy' });
 */
export const easy = marginStrategy({
  name: 'easy',
  pml: 'TripletMarginMiner(type_of_triplets="easy")',
  rule: 'triplets whose negative is more than margin farther than the positive',
  formula: 'the rest',
  window: (margin) => ({ lo: Math.fround(margin), hi: Number.POSITIVE_INFINITY }),
});
