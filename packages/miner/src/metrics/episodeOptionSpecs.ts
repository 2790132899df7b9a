/**
 * The few-shot episode options ({@link resolveEpisodeOptions}) as data, part of `@tripletkit/miner/options`: defaults
 * and help defined once here; `tripletkit eval --few-shot` derives its flags from them.
 */
import type { OptionSpecs } from '@tripletkit/common/options';

/**
 * @example
 * episodeOptionSpecs.episodes.default; // 600
 */
export const episodeOptionSpecs = {
  ways: { type: 'number', default: 5, describe: 'Few-shot: classes per episode' },
  shots: { type: 'number', default: 1, describe: 'Few-shot: support examples per class' },
  queries: { type: 'number', default: 15, describe: 'Few-shot: query examples per class' },
  episodes: { type: 'number', default: 600, describe: 'Few-shot: episodes (the CI narrows as 1/√episodes)' },
  seed: { type: 'number', default: 0, describe: 'Seed of the few-shot episodes and verification pairs' },
} as const satisfies OptionSpecs;
