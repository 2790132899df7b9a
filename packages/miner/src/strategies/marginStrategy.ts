import type { MarginWindow } from './marginWindow.ts';
import type { StrategyDef } from './strategy.ts';

/**
 * A TripletMarginMiner-style strategy from its window on the triplet margin (see marginWindow.ts). Its selector is
 * the one its caps call for (createSelector.ts): all qualifying triplets, a sample per anchor, or K per pair.
 *
 * @example
 * export const easy = marginStrategy({ name: 'easy', pml: '…', rule: '…', formula: 'the rest', window: (m) => ({ lo: m, hi: Infinity }) });
 */
export function marginStrategy<Name extends string, Online extends string = never>(def: {
  name: Name;
  pml: string;
  rule: string;
  formula: string;
  window(margin: number): MarginWindow;
  online?: { name: Online; rank: number };
}): StrategyDef<Name, true, Online> {
  return { ...def, options: ['margin', 'maxPerAnchor', 'negativesPerPair', 'pick'], offline: true };
}
