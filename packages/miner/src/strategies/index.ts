export { all } from './all.ts';
export { BatchHard, batchHard } from './batchHard.ts';
export { CollectAll } from './collectAll.ts';
export { createSelector, marginSelector } from './createSelector.ts';
export { easy } from './easy.ts';
export { hard } from './hard.ts';
export { marginStrategy } from './marginStrategy.ts';
export { type MarginWindow, marginWindow, tripletMargin } from './marginWindow.ts';
export { NegativesPerPair } from './negativesPerPair.ts';
export {
  getOnlineStrategy,
  getStrategy,
  ONLINE_MINING,
  type OnlineMining,
  STRATEGIES,
  STRATEGY_DEFS,
  type Strategy,
} from './registry.ts';
export { SamplePerAnchor } from './samplePerAnchor.ts';
export type { Selector, SelectorFactory } from './selector.ts';
export { semiHard } from './semiHard.ts';
export { semiHardTfa, semiHardTfaStrategy } from './semiHardTfa.ts';
export type { BatchTriplets, StrategyDef, StrategyOption } from './strategy.ts';
export { WindowSelector } from './windowSelector.ts';
