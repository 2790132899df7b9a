import type { TrainOptions, TrainResult } from '@tripletkit/trainer';
import { augmentationOptionSpecs, normalizationOptionSpecs, trainOptionSpecs } from '@tripletkit/trainer/options';
import { defineCommand, longCall } from '../command.ts';
import { flags, optionsFrom } from '../flags.ts';

// Imported when the command runs, so that `--help` and the other commands do not pay for it.
const train: typeof import('@tripletkit/trainer').train = async (o) => (await import('@tripletkit/trainer')).train(o);

type TrainArgs = Required<Pick<TrainOptions, 'images' | 'out'>> & {
  cropPadding: number;
  flip: boolean;
  mean?: number[];
  std?: number[];
};

/** `tripletkit train`: a shared (Siamese) encoder trained with a triplet loss, offline or with online mining. */
export const trainCommand = defineCommand<TrainArgs, TrainResult>({
  command: 'train',
  describe: 'Train a shared encoder with triplet loss (offline on mined triplets, or online P×K mining)',
  // The trainer's own option specs, in --help's order; the augmentation and normalization fields are flags of their own.
  options: {
    ...flags(
      trainOptionSpecs,
      [
        'images',
        'triplets',
        'mining',
        'out',
        'val',
        'encoder',
        'model',
        'embeddingDim',
        'epochs',
        'batchSize',
        'p',
        'k',
        'margin',
        'reduction',
        'learningRate',
        'seed',
        'remineEvery',
      ],
      { images: { demandOption: true }, out: { alias: 'o', demandOption: true } },
    ),
    ...flags(augmentationOptionSpecs, ['cropPadding', 'flip']),
    ...flags(normalizationOptionSpecs, ['mean', 'std']),
    ...flags(trainOptionSpecs, ['backend', 'workers', 'resume', 'stepsPerEpoch']),
  },
  examples: [
    ['tripletkit train --images train.arrow --mining semi-hard --val val.arrow -o runs/mnist', 'online mining'],
    ['tripletkit train --images train.arrow --triplets mined.arrow -o runs/offline --remine-every 2', 'offline'],
  ],
  handlesInterrupt: true,
  run: (args, ctx) =>
    train({
      ...optionsFrom<TrainOptions>(trainOptionSpecs, args),
      images: args.images,
      out: args.out,
      augment: args.cropPadding || args.flip ? { cropPadding: args.cropPadding, flip: args.flip } : undefined,
      normalization: args.mean || args.std ? { mean: args.mean ?? [0], std: args.std ?? [1] } : undefined,
      ...longCall(ctx),
    }),
  summarize: (r) => [
    `trained ${r.epochs.length} epoch(s) (${r.mode}, backend ${r.backend}), ${r.imagesPerSecond.toFixed(0)} images/s`,
    ...(r.bestPrecisionAt1 === null ? [] : [`best validation P@1: ${r.bestPrecisionAt1.toFixed(4)}`]),
    `model: ${r.modelDir}`,
  ],
});
