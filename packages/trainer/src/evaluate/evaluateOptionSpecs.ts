/**
 * The options of {@link evaluate} as data (part of `@tripletkit/trainer/options`): type, default, choices and a line of
 * help each, defined once here; `tripletkit eval` derives its flags from them (the few-shot and verification options
 * from the miner's specs). No TensorFlow.js imported.
 */
import type { OptionSpecs } from '@tripletkit/common/options';
import { DISTANCES, mineFileOptionSpecs, searchDistanceHelp } from '@tripletkit/miner/options';
import { BACKEND_CHOICES } from '../train/trainOptionSpecs.ts';

/** Which representation of a model `evaluate` uses (see `resolveFeatures`). */
export type Features = 'embedding' | 'backbone' | 'auto';
export const FEATURES: readonly Features[] = ['embedding', 'backbone', 'auto'];

/**
 * @example
 * evaluateOptionSpecs.features.default; // 'auto'
 */
export const evaluateOptionSpecs = {
  embeddings: { type: 'string', describe: 'Query embeddings (Arrow: embedding FixedSizeList<Float32>, label Int32)' },
  reference: {
    type: 'string',
    describe: 'Reference embeddings to retrieve from (default: the queries themselves, each query excluded)',
  },
  images: {
    type: 'string',
    describe: 'Query images (tripletkit load output): embedded with --model, or raw pixels without it (baseline)',
  },
  referenceImages: { type: 'string', describe: 'Reference images (with --images)' },
  model: { type: 'string', describe: 'Model directory (tripletkit train output) that embeds --images' },
  backend: { type: 'string', choices: BACKEND_CHOICES, default: 'auto', describe: 'TF.js backend for --model' },
  features: {
    type: 'string',
    choices: FEATURES,
    default: 'auto',
    describe:
      'With --model: embedding (its output), backbone (features before its projection head: best on classes it never saw), auto (backbone when no class at hand was trained on)',
  },
  distance: {
    type: 'string',
    choices: mineFileOptionSpecs.distance.choices,
    default: 'euclidean',
    describe: searchDistanceHelp(DISTANCES),
  },
  normalize: {
    type: 'boolean',
    default: false,
    describe: 'L2-normalise embeddings before a Euclidean search (PML AccuracyCalculator does not)',
  },
} as const satisfies OptionSpecs;
