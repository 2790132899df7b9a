/**
 * The options of {@link buildIndex} as data (part of `@tripletkit/trainer/options`): defaults, choices and help defined
 * once here; `tripletkit index` derives its flags from them. No TensorFlow.js imported.
 */
import type { OptionSpecs } from '@tripletkit/common/options';
import { FEATURES } from '../evaluate/evaluateOptionSpecs.ts';
import { trainOptionSpecs } from '../train/trainOptionSpecs.ts';
import { imagesOptionSpec } from './imagesOptionSpec.ts';

/**
 * @example
 * buildIndexOptionSpecs.features.default; // 'auto'
 */
export const buildIndexOptionSpecs = {
  model: { type: 'string', describe: 'Model folder, or a train --out folder' },
  images: imagesOptionSpec('Gallery: an images file, a folder (class subfolders = labels) or image files'),
  output: { type: 'string', describe: 'Index file to write (Arrow)' },
  backend: trainOptionSpecs.backend,
  features: {
    type: 'string',
    choices: FEATURES,
    default: 'auto',
    describe: 'embedding, backbone (best on classes the model never saw), auto (backbone when none was trained on)',
  },
  format: { type: 'string', choices: ['file', 'stream'], default: 'file', describe: 'Arrow IPC flavour' },
} as const satisfies OptionSpecs;
