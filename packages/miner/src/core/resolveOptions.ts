import {
  expectBoolean,
  expectNonNegativeInteger,
  expectNumber,
  expectOneOf,
  expectPositiveInteger,
  invalidArgument,
} from '@tripletkit/common';
import { DISTANCE_KINDS } from '../distances/index.ts';
import { DEFAULT_MARGIN, DEFAULT_TILE_SIZE, MAX_PER_ANCHOR } from '../mineFileOptionSpecs.ts';
import { getStrategy } from '../strategies/registry.ts';
import { type MineOptions, type ResolvedOptions, STRATEGIES } from './types.ts';

// Defined with the other option defaults in mineFileOptionSpecs.ts; re-exported where they always were.
export { DEFAULT_TILE_SIZE, MAX_PER_ANCHOR };

/** Absent = no cap (0 internally); 0 is refused rather than silently meaning "no cap". */
function maxPerAnchorOf(value: unknown): number {
  if (value === undefined) return 0;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_PER_ANCHOR) {
    invalidArgument(
      'maxPerAnchor',
      `an integer from 1 to ${MAX_PER_ANCHOR}`,
      value,
      'Leave it out for no cap; otherwise give the number of triplets to keep per anchor.',
    );
  }
  return value;
}

/**
 * Validates the user's options once, at the public boundary, and fills in PML's defaults.
 *
 * @example
 * resolveOptions({ strategy: 'semi-hard' }); // { margin: 0.2, distance: 'euclidean', normalize: true, ... }
 */
export function resolveOptions(options: MineOptions): ResolvedOptions {
  if (options === null || typeof options !== 'object') invalidArgument('options', 'an object', options);
  const strategy = expectOneOf('strategy', options.strategy ?? 'all', STRATEGIES);
  const negativesPerPair = expectNonNegativeInteger('negativesPerPair', options.negativesPerPair ?? 0);
  if (negativesPerPair > 0 && !getStrategy(strategy).options.includes('negativesPerPair')) {
    invalidArgument(
      'negativesPerPair',
      `no value with strategy ${strategy} (it keeps one triplet per anchor)`,
      negativesPerPair,
      'Drop negativesPerPair, or use semi-hard / hard / all.',
    );
  }
  return {
    strategy,
    margin: expectNumber('margin', options.margin ?? DEFAULT_MARGIN),
    distance: expectOneOf('distance', options.distance ?? 'euclidean', DISTANCE_KINDS),
    normalize: expectBoolean('normalize', options.normalize ?? true),
    maxPerAnchor: maxPerAnchorOf(options.maxPerAnchor),
    negativesPerPair,
    pick: expectOneOf('pick', options.pick ?? 'hardest', ['hardest', 'random'] as const),
    seed: expectNonNegativeInteger('seed', options.seed ?? 0),
    tileSize: expectPositiveInteger('tileSize', options.tileSize ?? DEFAULT_TILE_SIZE),
  };
}
