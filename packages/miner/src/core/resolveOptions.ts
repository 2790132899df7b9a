import {
  expectBoolean,
  expectNonNegativeInteger,
  expectNumber,
  expectOneOf,
  expectPositiveInteger,
  invalidArgument,
} from '@tripletkit/common';
import { DISTANCE_KINDS } from '../distances/index.ts';
import { type MineOptions, type ResolvedOptions, STRATEGIES } from './types.ts';

/** Default rows per anchor block / candidate tile: a 512×512 tile (1 MiB) keeps the kernel near its peak. */
export const DEFAULT_TILE_SIZE = 512;

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
  if (strategy === 'batch-hard' && negativesPerPair > 0) {
    invalidArgument(
      'negativesPerPair',
      'no value with strategy batch-hard (it keeps one triplet per anchor)',
      negativesPerPair,
      'Drop negativesPerPair, or use semi-hard / hard / all.',
    );
  }
  return {
    strategy,
    margin: expectNumber('margin', options.margin ?? 0.2),
    distance: expectOneOf('distance', options.distance ?? 'euclidean', DISTANCE_KINDS),
    normalize: expectBoolean('normalize', options.normalize ?? true),
    maxPerAnchor: expectNonNegativeInteger('maxPerAnchor', options.maxPerAnchor ?? 0),
    negativesPerPair,
    pick: expectOneOf('pick', options.pick ?? 'hardest', ['hardest', 'random'] as const),
    seed: expectNonNegativeInteger('seed', options.seed ?? 0),
    tileSize: expectPositiveInteger('tileSize', options.tileSize ?? DEFAULT_TILE_SIZE),
  };
}
