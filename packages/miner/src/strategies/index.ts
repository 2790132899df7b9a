export { BatchHard } from './batchHard.ts';
export { CollectAll } from './collectAll.ts';
export { createSelector } from './createSelector.ts';
export { type MarginWindow, marginWindow, tripletMargin } from './marginWindow.ts';
export { NegativesPerPair } from './negativesPerPair.ts';
export { SamplePerAnchor } from './samplePerAnchor.ts';
export type { Selector, SelectorFactory } from './selector.ts';
export { WindowSelector } from './windowSelector.ts';
