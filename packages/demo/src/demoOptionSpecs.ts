/**
 * The options of {@link runDemo} as data (`@tripletkit/demo/options`): type, default, choices and a line of help each,
 * defined once here; `tripletkit demo` derives its flags from them. Light on purpose: no TensorFlow.js, no mnist —
 * the CLI builds its parser from this file without loading the demo.
 */
import type { OptionSpecs } from '@tripletkit/common/options';
import { trainOptionSpecs } from '@tripletkit/trainer/options';

/**
 * @example
 * demoOptionSpecs.out.default; // 'tripletkit-demo'
 */
export const demoOptionSpecs = {
  out: { type: 'string', default: 'tripletkit-demo', describe: 'Output folder (data, model, report)' },
  quick: { type: 'boolean', default: false, describe: 'Reduced run (1 000 training digits, well under a minute)' },
  epochs: { type: 'number', describe: 'Training epochs (default: 5 with --quick, else 10)' },
  seed: { type: 'number', default: 0, describe: 'Seed of the split, the sampler, the weights and the mining caps' },
  // The demo trains with the trainer: the same backends, the same `auto`.
  backend: trainOptionSpecs.backend,
} as const satisfies OptionSpecs;
