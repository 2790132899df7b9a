import type { DistanceKind, MineFileResult, Strategy } from '@tripletkit/miner';
import { DISTANCE_KINDS, STRATEGIES } from '../choices.ts';
import { defineCommand } from '../command.ts';
import { shardFor, shardOptions } from '../shardOption.ts';

// Imported when the command runs, so that `--help` and the other commands do not pay for it.
const mineFile: typeof import('@tripletkit/miner').mineFile = async (o) =>
  (await import('@tripletkit/miner')).mineFile(o);

interface MineArgs {
  embeddings: string;
  output: string;
  strategy: Strategy;
  margin: number;
  distance: DistanceKind;
  normalize: boolean;
  maxPerAnchor?: number;
  negativesPerPair?: number;
  pick: 'hardest' | 'random';
  seed: number;
  tileSize: number;
  workers?: number;
  reference?: string;
  shard?: string;
  shards?: number;
  format: 'file' | 'stream';
  embeddingColumn: string;
  labelColumn: string;
}

/** `tripletkit mine`: PML-exact triplet mining of an embeddings file, streamed (never an N×N matrix). */
/** What `tripletkit mine --json` prints. */
export type MineCommandResult = Omit<MineFileResult, 'classes'> & { classCount: number };

export const mineCommand = defineCommand<MineArgs, MineCommandResult>({
  command: 'mine',
  describe: 'Mine anchor-positive-negative triplets from embeddings (PML TripletMarginMiner / BatchHardMiner)',
  options: {
    embeddings: {
      type: 'string',
      alias: 'e',
      demandOption: true,
      describe: 'Embeddings file (Arrow: embedding FixedSizeList<Float32>[D], label Int32 or string)',
    },
    output: { type: 'string', alias: 'o', demandOption: true, describe: 'Triplets file to write (Arrow IPC)' },
    strategy: {
      alias: 's',
      choices: STRATEGIES as unknown as string[],
      demandOption: true,
      describe:
        'all: d_an − d_ap ≤ margin; hard: d_an ≤ d_ap; semi-hard: d_ap < d_an ≤ d_ap + margin; easy: the rest; batch-hard: farthest positive + nearest negative per anchor',
    },
    margin: { type: 'number', default: 0.2, describe: 'Margin (PML default 0.2)' },
    distance: {
      choices: DISTANCE_KINDS as unknown as string[],
      default: 'euclidean',
      describe: 'Distance; cosine is a similarity and inverts every comparison, as PML',
    },
    normalize: {
      type: 'boolean',
      default: true,
      describe: 'L2-normalise embeddings first (PML default); --no-normalize',
    },
    'max-per-anchor': {
      type: 'number',
      describe: 'Keep a seeded uniform sample of at most K triplets per anchor (1–100000; leave out for no cap)',
    },
    'negatives-per-pair': {
      type: 'number',
      describe: 'Keep at most K negatives per anchor-positive pair (FaceNet offline selection), see --pick',
    },
    pick: {
      choices: ['hardest', 'random'],
      default: 'hardest',
      describe: 'Which negatives --negatives-per-pair keeps: the closest, or a seeded uniform sample',
    },
    seed: { type: 'number', default: 0, describe: 'Seed of the caps; same seed → identical output' },
    'tile-size': { type: 'number', default: 512, describe: 'Rows per anchor block and candidate tile' },
    workers: { type: 'number', describe: 'Worker threads (default: all cores for large jobs, none for small)' },
    reference: {
      type: 'string',
      alias: 'r',
      describe: 'Take positives and negatives from this embeddings file (PML ref_emb); anchors from --embeddings',
    },
    ...shardOptions('anchors (the parts concatenate to the whole)'),
    format: { choices: ['file', 'stream'], default: 'file', describe: 'Arrow IPC flavour of the output' },
    'embedding-column': { type: 'string', default: 'embedding', describe: 'Name of the embedding column' },
    'label-column': { type: 'string', default: 'label', describe: 'Name of the label column' },
  },
  examples: [
    ['tripletkit mine -e emb.arrow -s semi-hard -o mined.arrow', 'every semi-hard triplet (PML defaults)'],
    ['tripletkit mine -e emb.arrow -s semi-hard --max-per-anchor 10 --seed 1 -o mined.arrow', '10 per anchor'],
    ['tripletkit mine -e emb.arrow -s semi-hard --negatives-per-pair 1 -o mined.arrow', 'FaceNet selection'],
    ['tripletkit mine -e emb.arrow -s all --shard 0/4 -o part0.arrow', 'first quarter of the anchors'],
    ['tripletkit mine -e emb/ -s semi-hard --shard auto -o mined/mined.arrow', 'one task of an array job'],
  ],
  run: async (args) => {
    const { shard, output } = shardFor(args, args.output);
    const r = await mineFile({
      embeddings: args.embeddings,
      output,
      reference: args.reference,
      strategy: args.strategy,
      margin: args.margin,
      distance: args.distance,
      normalize: args.normalize,
      maxPerAnchor: args.maxPerAnchor,
      negativesPerPair: args.negativesPerPair,
      pick: args.pick,
      seed: args.seed,
      tileSize: args.tileSize,
      workers: args.workers,
      shard,
      format: args.format,
      embeddingColumn: args.embeddingColumn,
      labelColumn: args.labelColumn,
    });
    // --json names agree across commands: `classes` is a list of names (load, eval), `classCount` a count.
    const { classes, ...rest } = r;
    return { ...rest, classCount: classes };
  },
  summarize: (r) => [
    `${r.triplets} ${r.strategy} triplets from ${r.anchors} anchors → ${r.output}`,
    `${r.distance}${r.normalize ? ' (L2-normalised)' : ''}, margin ${r.margin}, ${r.rows}×${r.dim}, ${r.classCount} classes`,
    ...(r.anchorsWithoutPositive || r.anchorsWithoutNegative
      ? [`anchors without a positive: ${r.anchorsWithoutPositive}, without a negative: ${r.anchorsWithoutNegative}`]
      : []),
    ...(r.singleSampleClasses ? [`classes with a single sample (no positive): ${r.singleSampleClasses}`] : []),
    `${r.seconds.toFixed(2)} s, ${Math.round(r.tripletsPerSecond)} triplets/s (${r.kernel} kernel)`,
  ],
});
