import type { Prepared } from '../core/prepare.ts';
import type { ResolvedOptions } from '../core/types.ts';
import { BatchHard } from './batchHard.ts';
import { CollectAll } from './collectAll.ts';
import { NegativesPerPair } from './negativesPerPair.ts';
import { SamplePerAnchor } from './samplePerAnchor.ts';
import type { Selector } from './selector.ts';

/**
 * The selector for resolved options: batch-hard, or a margin strategy (all / hard / semi-hard / easy) kept in full,
 * sampled per anchor, or capped per anchor-positive pair.
 *
 * @example
 * const sel = createSelector(prepared, resolveOptions({ strategy: 'semi-hard', maxPerAnchor: 10 }));
 */
export function createSelector(p: Prepared, options: ResolvedOptions): Selector {
  if (options.strategy === 'batch-hard') return new BatchHard(p);
  if (options.negativesPerPair > 0) return new NegativesPerPair(p, options);
  if (options.maxPerAnchor > 0) return new SamplePerAnchor(p, options);
  return new CollectAll(p, options);
}
