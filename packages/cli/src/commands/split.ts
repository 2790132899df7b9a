import type { SplitOptions, SplitResult } from '@tripletkit/loader';
import { splitOptionSpecs } from '@tripletkit/loader/options';
import { defineCommand } from '../command.ts';
import { type ArgsOf, flags, optionsFrom } from '../flags.ts';

// Imported when the command runs, so that `--help` and the other commands do not pay for it.
const splitImages: typeof import('@tripletkit/loader').splitImages = async (...a) =>
  (await import('@tripletkit/loader')).splitImages(...a);

type SplitArgs = ArgsOf<typeof splitOptionSpecs> & { images: string; output: string };

/** `tripletkit split`: an images file → the rows of some classes (and the rest): train on these, test on those. */
export const splitCommand = defineCommand<SplitArgs, SplitResult>({
  command: 'split',
  describe: 'Split an images file by class (train on some classes, test on classes never seen)',
  options: {
    images: { type: 'string', alias: 'i', demandOption: true, describe: 'Images file (tripletkit load output)' },
    output: { type: 'string', alias: 'o', demandOption: true, describe: 'Images file of the selected classes' },
    ...flags(splitOptionSpecs, ['rest', 'classes', 'excludeClasses', 'holdoutFraction', 'seed', 'format']),
  },
  examples: [
    ['tripletkit split -i digits.arrow --classes 0-4 -o seen.arrow --rest unseen.arrow', 'digits 0–4 | 5–9'],
    ['tripletkit split -i fmnist.arrow --holdout-fraction 0.3 --seed 1 -o train.arrow --rest novel.arrow', 'seeded'],
  ],
  run: (args) => splitImages(args.images, args.output, optionsFrom<SplitOptions>(splitOptionSpecs, args)),
  summarize: (r) => [
    `${r.rows} rows of classes ${r.classes.join(', ')} → ${r.output}`,
    ...(r.rest ? [`${r.rest.rows} rows of classes ${r.rest.classes.join(', ')} → ${r.rest.output}`] : []),
  ],
});
