import path from 'node:path';
import { createProgress } from '@tripletkit/common/progress';
import { invalidArgument } from '@tripletkit/common/validate';
import type { ImageSource, LoadSummary, WriteImagesOptions } from '@tripletkit/loader';
import { loadOptionSpecs } from '@tripletkit/loader/options';
import { defineCommand } from '../command.ts';
import { flags, optionsFrom } from '../flags.ts';
import { shardFor, shardOptions } from '../shardOption.ts';

// Imported when the command runs, so that `--help` and the other commands do not pay for it.
const writeImages: typeof import('@tripletkit/loader').writeImages = async (...a) =>
  (await import('@tripletkit/loader')).writeImages(...a);

interface LoadArgs {
  input?: string;
  manifest?: string;
  idx?: string[];
  pairs?: string;
  output: string;
  size?: number;
  width?: number;
  height?: number;
  channels?: 1 | 3;
  fit: 'cover' | 'contain' | 'fill';
  kernel: 'nearest' | 'linear' | 'cubic' | 'lanczos3';
  batchRows?: number;
  concurrency?: number;
  format: 'file' | 'stream';
  strict: boolean;
  errors?: string;
  limitInputPixels?: number;
  failOn: 'none' | 'truncated' | 'error' | 'warning';
  shard?: string;
  shards?: number;
}

const MANIFEST_EXT = new Set(['.csv', '.jsonl', '.ndjson']);

/** The one input the user named: a folder, a manifest, or an IDX pair. */
function sourceOf(args: LoadArgs): ImageSource {
  const given = [args.input, args.manifest, args.idx, args.pairs].filter((x) => x !== undefined).length;
  if (given !== 1) {
    invalidArgument(
      'the input',
      'exactly one of <folder>, --manifest FILE, --pairs FILE or --idx IMAGES LABELS',
      given === 0 ? undefined : 'several',
      'Run `tripletkit load --help` for examples.',
    );
  }
  if (args.idx) {
    if (args.idx.length !== 2) invalidArgument('--idx', 'two paths (images then labels)', args.idx);
    return { idx: { images: args.idx[0], labels: args.idx[1] } };
  }
  if (args.manifest) return { manifest: args.manifest };
  if (args.pairs) return { pairs: args.pairs };
  const input = args.input!;
  return MANIFEST_EXT.has(path.extname(input).toLowerCase()) ? { manifest: input } : { folder: input };
}

/** `tripletkit load`: images → an Arrow images file (pixels, label, path), bad files skipped and listed. */
export const loadCommand = defineCommand<LoadArgs, LoadSummary & { classCount: number }>({
  command: 'load [input]',
  describe: 'Decode and resize images (class folders, CSV/JSONL manifest or IDX) into an Arrow images file',
  positionals: {
    input: { type: 'string', describe: 'Folder with one subfolder per class (or a .csv/.jsonl manifest)' },
  },
  options: {
    manifest: {
      type: 'string',
      alias: 'm',
      describe: 'CSV (path,label header) or JSONL manifest; paths relative to it',
    },
    idx: {
      type: 'string',
      array: true,
      describe: 'MNIST-style IDX pair: images file then labels file (gzipped or not)',
    },
    pairs: {
      type: 'string',
      describe: 'Pairs manifest (CSV anchor,positive or JSONL): label = the pair’s group, for mine/train unchanged',
    },
    output: { type: 'string', alias: 'o', demandOption: true, describe: 'Images file to write (Arrow IPC)' },
    ...flags(loadOptionSpecs, [
      'size',
      'width',
      'height',
      'channels',
      'fit',
      'kernel',
      'batchRows',
      'concurrency',
      'format',
      'strict',
    ]),
    errors: { type: 'string', describe: 'Write the skipped bad files as JSON lines (index, path, reason, message)' },
    ...flags(loadOptionSpecs, ['limitInputPixels', 'failOn']),
    ...shardOptions('input images (every shard lists the whole input: same classes, same size)'),
  },
  examples: [
    ['tripletkit load data/train --size 64 -o train.arrow', 'class folders → 64×64 RGB'],
    ['tripletkit load --manifest train.csv --size 224 --errors bad.jsonl -o train.arrow', 'manifest, bad files listed'],
    ['tripletkit load --idx t10k-images-idx3-ubyte.gz t10k-labels-idx1-ubyte.gz -o fmnist.arrow', 'Fashion-MNIST'],
  ],
  async run(args, ctx) {
    const source = sourceOf(args);
    const { shard, output } = shardFor(args, args.output);
    const bar = createProgress({ label: 'load', unit: 'images' });
    try {
      const summary = await writeImages(output, source, {
        ...optionsFrom<WriteImagesOptions>(loadOptionSpecs, args),
        shard,
        errorsPath: args.errors,
        signal: ctx.signal,
        onProgress: (done, total) => bar.update(done, total),
      });
      bar.finish();
      if (summary.skipped > 0) {
        // The bad-file report goes to stderr whatever the output mode, so --json stays one object on stdout.
        process.stderr.write(`tripletkit: skipped ${summary.skipped} bad file${summary.skipped > 1 ? 's' : ''}:\n`);
        for (const b of summary.badFiles.slice(0, 20))
          process.stderr.write(`  ${b.path}: ${b.reason} (${b.message})\n`);
        if (summary.skipped > 20) {
          process.stderr.write(
            `  … and ${summary.skipped - 20} more${args.errors ? ` (all in ${args.errors})` : ' (list them all with --errors FILE)'}\n`,
          );
        }
      }
      return { ...summary, classCount: summary.classes.length };
    } finally {
      bar.finish();
    }
  },
  summarize: (r) => [
    `${r.rows} images (${r.width}×${r.height}×${r.channels}, ${r.classes.length} classes) → ${r.output} (${r.format}, ${r.batches} batch${r.batches === 1 ? '' : 'es'})`,
    ...(r.sizeRule ? [`size ${r.width}×${r.height}: ${r.sizeRule} (choose it with --size)`] : []),
    `${r.skipped} bad file${r.skipped === 1 ? '' : 's'} skipped${r.errorsPath ? ` (listed in ${r.errorsPath})` : ''}${r.ignored ? `, ${r.ignored} non-image files ignored` : ''}`,
    `${r.seconds.toFixed(2)} s, ${Math.round(r.imagesPerSecond)} images/s`,
  ],
});
