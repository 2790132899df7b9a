import type { Prepared } from '../core/prepare.ts';
import type { ResolvedOptions } from '../core/types.ts';
import { CollectAll } from './collectAll.ts';
import { NegativesPerPair } from './negativesPerPair.ts';
import { getStrategy } from './registry.ts';
import { SamplePerAnchor } from './samplePerAnchor.ts';
import type { Selector } from './selector.ts';

/**
 * The selector of a margin strategy (one with a window) under the caps the user asked for: every qualifying triplet,
 * a seeded sample per anchor, or at most K negatives per anchor-positive pair.
 *
 * @example
 * const sel = marginSelector(prepared, resolveOptions({ strategy: 'semi-hard', maxPerAnchor: 10 }));
 */
export function marginSelector(p: Prepared, options: ResolvedOptions): Selector {
  if (options.negativesPerPair > 0) return new NegativesPerPair(p, options);
  if (options.maxPerAnchor > 0) return new SamplePerAnchor(p, options);
  return new CollectAll(p, options);
}

/**
 * The selector for resolved options: the registered strategy's own, or for a margin strategy the one its caps call
 * for.
 *
 * @example
 * const sel = createSelector(prepared, resolveOptions({ strategy: 'semi-hard', maxPerAnchor: 10 }));
 */
export function createSelector(p: Prepared, options: ResolvedOptions): Selector {
  const s = getStrategy(options.strategy);
  if (s.selector) return s.selector(p, options);
  if (s.window) return marginSelector(p, options);
  throw new Error(`strategy ${options.strategy} has no offline selector`);
}
