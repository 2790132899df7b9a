/**
 * The options of {@link search} as data (part of `@tripletkit/trainer/options`): defaults and help defined once here;
 * `tripletkit search` derives its flags from them. No TensorFlow.js imported.
 */
import type { OptionSpecs } from '@tripletkit/common/options';
import { trainOptionSpecs } from '../train/trainOptionSpecs.ts';
import { imagesOptionSpec } from './imagesOptionSpec.ts';

/**
 * @example
 * searchOptionSpecs.k.default; // 5
 */
export const searchOptionSpecs = {
  index: { type: 'string', describe: 'Index file (tripletkit index output)' },
  query: imagesOptionSpec('Query image files, a folder, or an images file; loaded exactly as the model expects'),
  k: { type: 'number', default: 5, describe: 'Nearest gallery items per query' },
  byClass: {
    type: 'boolean',
    default: false,
    describe: 'Distance to every class (nearest member and centroid) and the predicted class',
  },
  threshold: { type: 'number', describe: 'With --by-class: predict "unknown" when the nearest class is farther' },
  model: { type: 'string', describe: 'The model, if it moved since indexing (must be the same files)' },
  backend: trainOptionSpecs.backend,
} as const satisfies OptionSpecs;
