/**
 * The options of {@link embedImages} as data (part of `@tripletkit/trainer/options`): type, default, choices and a line
 * of help each, defined once here; `tripletkit embed` derives its flags from them. No TensorFlow.js imported.
 */
import type { OptionSpecs } from '@tripletkit/common/options';
import { trainOptionSpecs } from '../train/trainOptionSpecs.ts';

/**
 * @example
 * embedImagesOptionSpecs.batchSize.default; // 256
 */
export const embedImagesOptionSpecs = {
  batchSize: { type: 'number', default: 256, describe: 'Images per forward pass' },
  format: { type: 'string', choices: ['file', 'stream'], default: 'file', describe: 'Arrow IPC flavour' },
  backend: trainOptionSpecs.backend,
} as const satisfies OptionSpecs;
