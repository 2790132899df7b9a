import type { DistanceKind, MineFileOptions, MineFileResult, Strategy } from '@tripletkit/miner';
import { mineFileOptionSpecs } from '@tripletkit/miner/options';
import { defineCommand } from '../command.ts';
import { flags, optionsFrom } from '../flags.ts';
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
    ...flags(
      mineFileOptionSpecs,
      [
        'strategy',
        'margin',
        'distance',
        'normalize',
        'maxPerAnchor',
        'negativesPerPair',
        'pick',
        'seed',
        'tileSize',
        'workers',
      ],
      { strategy: { alias: 's', demandOption: true } },
    ),
    reference: {
      type: 'string',
      alias: 'r',
      describe: 'Take positives and negatives from this embeddings file (PML ref_emb); anchors from --embeddings',
    },
    ...shardOptions('anchors (the parts concatenate to the whole)'),
    ...flags(mineFileOptionSpecs, ['format', 'embeddingColumn', 'labelColumn']),
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
      ...optionsFrom<MineFileOptions>(mineFileOptionSpecs, args),
      embeddings: args.embeddings,
      output,
      reference: args.reference,
      shard,
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
