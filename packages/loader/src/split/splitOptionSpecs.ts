/**
 * The options of {@link splitImages} as data (part of `@tripletkit/loader/options`): type, default, choices and a line
 * of help each, defined once here. `tripletkit split` derives its flags from them. Light: no Arrow, no sharp.
 */
import type { OptionSpecs } from '@tripletkit/common/options';
import { FORMATS } from '../write/loadOptionSpecs.ts';

/**
 * @example
 * splitOptionSpecs.seed.default; // 0
 */
export const splitOptionSpecs = {
  rest: { type: 'string', describe: 'Also write the rows of every other class here' },
  classes: { type: 'string', describe: 'Classes to keep: names or label indexes, comma-separated; a-b = range' },
  excludeClasses: { type: 'string', describe: 'Classes to leave out (everything else is kept)' },
  holdoutFraction: {
    type: 'number',
    describe: 'Hold out this fraction of the classes, chosen with --seed (they go to --rest)',
  },
  seed: { type: 'number', default: 0, describe: 'Seed of --holdout-fraction' },
  format: { type: 'string', choices: FORMATS, default: 'file', describe: 'Arrow IPC flavour' },
} as const satisfies OptionSpecs;
