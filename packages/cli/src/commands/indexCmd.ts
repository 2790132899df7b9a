import type { BackendChoice, BuildIndexOptions, BuildIndexResult, Features } from '@tripletkit/trainer';
import { buildIndexOptionSpecs } from '@tripletkit/trainer/options';
import { defineCommand } from '../command.ts';
import { flags, optionsFrom } from '../flags.ts';

// Imported when the command runs, so that `--help` and the other commands do not pay for it.
const buildIndex: typeof import('@tripletkit/trainer').buildIndex = async (o) =>
  (await import('@tripletkit/trainer')).buildIndex(o);

interface IndexArgs {
  model: string;
  images: string[];
  output: string;
  backend: BackendChoice;
  features: Features;
  format: 'file' | 'stream';
}

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
  run: (args) =>
    buildIndex({
      ...optionsFrom<BuildIndexOptions>(buildIndexOptionSpecs, args),
      model: args.model,
      images: args.images.length === 1 ? args.images[0] : args.images,
      output: args.output,
    }),
  summarize: (r) => [
    `indexed ${r.rows} images (${r.classes.length} classes, ${r.dim}-d ${r.features}) → ${r.output} in ${r.seconds.toFixed(1)} s`,
    `model ${r.model.path} (sha256 ${r.model.sha256.slice(0, 12)}…); queries get ${r.preprocessing.height}×${r.preprocessing.width}×${r.preprocessing.channels}, fit ${r.preprocessing.fit}`,
    ...(r.skipped.length ? [`${r.skipped.length} bad files skipped`] : []),
  ],
});
