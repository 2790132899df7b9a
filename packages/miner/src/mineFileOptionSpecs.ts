/**
 * The options of {@link mineFile} as data (`@tripletkit/miner/options`): type, default, choices, range and a line of
 * help each, defined once here. The CLI's `tripletkit mine` flags are derived from them and checked against them
 * before any file is read. Light on purpose: no Arrow, no kernel — importing it costs nothing at start-up.
 */
import type { OptionSpecs } from '@tripletkit/common/options';
import { STRATEGIES } from './core/types.ts';
import { DISTANCE_KINDS, DISTANCES } from './distances/registry.ts';
import { distanceHelp, strategyHelp } from './registryHelp.ts';
import { STRATEGY_DEFS } from './strategies/registry.ts';

/** The online mining choices (the trainer's `mining` option) come from the same registry as the strategies. */
export { ONLINE_MINING, type OnlineMining } from './strategies/registry.ts';

/** Default rows per anchor block / candidate tile: a 512×512 tile (1 MiB) keeps the kernel near its peak. */
export const DEFAULT_TILE_SIZE = 512;

/** Largest `maxPerAnchor`: the per-anchor sample buffers of one tile (512 × K × 12 bytes) stay under ~600 MB. */
export const MAX_PER_ANCHOR = 100_000;

/** PML's default margin (TripletMarginMiner and TripletMarginLoss). */
export const DEFAULT_MARGIN = 0.2;

/**
 * @example
 * mineFileOptionSpecs.tileSize.default; // 512
 * mineFileOptionSpecs.strategy.choices; // ['all', 'hard', 'semi-hard', 'easy', 'batch-hard']
 */
export const mineFileOptionSpecs = {
  strategy: {
    type: 'string',
    choices: STRATEGIES,
    // Each strategy's formula, from its own file (registryHelp.ts).
    describe: strategyHelp(STRATEGY_DEFS),
  },
  margin: { type: 'number', default: DEFAULT_MARGIN, describe: `Margin (PML default ${DEFAULT_MARGIN})` },
  distance: {
    type: 'string',
    choices: DISTANCE_KINDS,
    default: 'euclidean',
    describe: distanceHelp(DISTANCES),
  },
  normalize: {
    type: 'boolean',
    default: true,
    describe: 'L2-normalise embeddings first (PML default); --no-normalize',
  },
  maxPerAnchor: {
    type: 'number',
    describe: `Keep a seeded uniform sample of at most K triplets per anchor (1–${MAX_PER_ANCHOR}; leave out for no cap)`,
  },
  negativesPerPair: {
    type: 'number',
    describe: 'Keep at most K negatives per anchor-positive pair (FaceNet offline selection), see --pick',
  },
  pick: {
    type: 'string',
    choices: ['hardest', 'random'],
    default: 'hardest',
    describe: 'Which negatives --negatives-per-pair keeps: the closest, or a seeded uniform sample',
  },
  seed: {
    type: 'number',
    default: 0,
    describe: 'Seed of the caps; same seed → identical output',
  },
  tileSize: {
    type: 'number',
    default: DEFAULT_TILE_SIZE,
    describe: 'Rows per anchor block and candidate tile',
  },
  workers: {
    type: 'number',
    describe: 'Worker threads (default: all cores for large jobs, none for small)',
  },
  format: { type: 'string', choices: ['file', 'stream'], default: 'file', describe: 'Arrow IPC flavour of the output' },
  embeddingColumn: { type: 'string', default: 'embedding', describe: 'Name of the embedding column' },
  labelColumn: { type: 'string', default: 'label', describe: 'Name of the label column' },
} as const satisfies OptionSpecs;
