import type { BuildIndexOptions, BuildIndexResult } from '@tripletkit/trainer';
import { buildIndexOptionSpecs } from '@tripletkit/trainer/options';
import { defineCommand } from '../command.ts';
import { type ArgsOf, flags, optionsFrom } from '../flags.ts';

// Imported when the command runs, so that `--help` and the other commands do not pay for it.
const buildIndex: typeof import('@tripletkit/trainer').buildIndex = async (o) =>
  (await import('@tripletkit/trainer')).buildIndex(o);

type IndexArgs = ArgsOf<typeof buildIndexOptionSpecs, 'model' | 'images' | 'output'>;

/** `tripletkit index`: a gallery of images → a search index (embeddings, labels, paths, the model's identity). */
export const indexCommand = defineCommand<IndexArgs, BuildIndexResult>({
  command: 'index',
  describe: 'Embed a gallery (images file, folder or files) with a model into a search index for tripletkit search',
  options: flags(buildIndexOptionSpecs, ['model', 'images', 'output', 'backend', 'features', 'format'], {
    model: { alias: 'm', demandOption: true },
    images: { alias: 'i', demandOption: true },
    output: { alias: 'o', demandOption: true },
  }),
  examples: [
    ['tripletkit index --model runs/digits --images gallery.arrow -o gallery.idx.arrow', 'index an images file'],
    ['tripletkit index -m runs/products -i photos/ -o products.idx.arrow', 'a folder of class subfolders'],
  ],
  run: ({ model, images, output, ...args }) =>
    buildIndex({ ...optionsFrom<BuildIndexOptions>(buildIndexOptionSpecs, args), model, images, output }),
  summarize: (r) => [
    `indexed ${r.rows} images (${r.classes.length} classes, ${r.dim}-d ${r.features}) → ${r.output} in ${r.seconds.toFixed(1)} s`,
    `model ${r.model.path} (sha256 ${r.model.sha256.slice(0, 12)}…); queries get ${r.preprocessing.height}×${r.preprocessing.width}×${r.preprocessing.channels}, fit ${r.preprocessing.fit}`,
    ...(r.skipped.length ? [`${r.skipped.length} bad files skipped`] : []),
  ],
});
