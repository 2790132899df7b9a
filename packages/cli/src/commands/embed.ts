import type { BackendChoice, EmbedImagesOptions, EmbedImagesResult } from '@tripletkit/trainer';
import { embedImagesOptionSpecs } from '@tripletkit/trainer/options';
import { defineCommand } from '../command.ts';
import { flags, optionsFrom } from '../flags.ts';
import { shardFor, shardOptions } from '../shardOption.ts';

// Imported when the command runs, so that `--help` and the other commands do not pay for it.
const embedImages: typeof import('@tripletkit/trainer').embedImages = async (...a) =>
  (await import('@tripletkit/trainer')).embedImages(...a);

interface EmbedArgs {
  model: string;
  images: string;
  output: string;
  batchSize: number;
  format: 'file' | 'stream';
  backend: BackendChoice;
  shard?: string;
  shards?: number;
}

/** `tripletkit embed`: an images file through a trained model into an embeddings file. */
export const embedCommand = defineCommand<EmbedArgs, EmbedImagesResult>({
  command: 'embed',
  describe: 'Embed an images file with a trained model (batched, bounded memory)',
  options: {
    model: { type: 'string', demandOption: true, describe: 'Model folder (model.json), or a train --out folder' },
    images: {
      type: 'string',
      demandOption: true,
      describe: 'Images file (tripletkit load output), or a folder or glob of its parts',
    },
    output: { type: 'string', alias: 'o', demandOption: true, describe: 'Embeddings file to write' },
    ...flags(embedImagesOptionSpecs, ['batchSize', 'format', 'backend']),
    ...shardOptions('images (whole batches of --batch-size)'),
  },
  examples: [['tripletkit embed --model runs/mnist --images test.arrow -o test-emb.arrow', 'embed the test set']],
  run: (args) => {
    const { shard, output } = shardFor(args, args.output);
    return embedImages(args.model, args.images, output, {
      ...optionsFrom<EmbedImagesOptions>(embedImagesOptionSpecs, args),
      shard,
      log: (line) => process.stderr.write(`${line}\n`),
    });
  },
  summarize: (r) => [`wrote ${r.rows} embeddings of dimension ${r.dim} to ${r.output} (backend ${r.backend})`],
});
