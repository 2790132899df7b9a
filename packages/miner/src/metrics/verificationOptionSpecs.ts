/**
 * The options of {@link verification} as data, part of `@tripletkit/miner/options`: defaults and help defined once
 * here; `tripletkit eval --verification` derives its flags from them.
 */
import type { OptionSpecs } from '@tripletkit/common/options';
import { episodeOptionSpecs } from './episodeOptionSpecs.ts';

/**
 * @example
 * verificationOptionSpecs.farTarget.default; // 0.001
 */
export const verificationOptionSpecs = {
  pairs: { type: 'number', default: 10_000, describe: 'Verification: same-class pairs (and as many different)' },
  // One seed for few-shot episodes and verification pairs (one --seed flag).
  seed: episodeOptionSpecs.seed,
  farTarget: { type: 'number', default: 1e-3, describe: 'Verification: false accept rate at which TAR is reported' },
} as const satisfies OptionSpecs;
