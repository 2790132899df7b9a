import type { BackendChoice, EncoderName, OnlineMining, Reduction, TrainResult } from '@tripletkit/trainer';
import { BACKEND_CHOICES, ENCODERS, ONLINE_MINING, REDUCTIONS } from '../choices.ts';
import { defineCommand } from '../command.ts';

// Imported when the command runs, so that `--help` and the other commands do not pay for it.
const train: typeof import('@tripletkit/trainer').train = async (o) => (await import('@tripletkit/trainer')).train(o);

interface TrainArgs {
  images: string;
  triplets?: string;
  mining?: OnlineMining;
  out: string;
  val?: string;
  encoder: EncoderName;
  model?: string;
  embeddingDim: number;
  epochs: number;
  batchSize: number;
  p?: number;
  k?: number;
  margin: number;
  reduction: Reduction;
  learningRate: number;
  seed: number;
  remineEvery?: number;
  cropPadding: number;
  flip: boolean;
  mean?: number[];
  std?: number[];
  backend: BackendChoice;
  workers?: number;
  resume: boolean;
  stepsPerEpoch?: number;
}

/** `tripletkit train`: a shared (Siamese) encoder trained with a triplet loss, offline or with online mining. */
export const trainCommand = defineCommand<TrainArgs, TrainResult>({
  command: 'train',
  describe: 'Train a shared encoder with triplet loss (offline on mined triplets, or online P×K mining)',
  options: {
    images: { type: 'string', demandOption: true, describe: 'Training images file (tripletkit load output)' },
    triplets: { type: 'string', describe: 'Offline mode: triplets mined from --images (tripletkit mine output)' },
    mining: { choices: ONLINE_MINING as unknown as string[], describe: 'Online mode: mining on every P×K batch' },
    out: {
      type: 'string',
      alias: 'o',
      demandOption: true,
      describe: 'Output folder: model/, checkpoint/, train.jsonl',
    },
    val: { type: 'string', describe: 'Validation images: P@1 each epoch, best model kept' },
    encoder: { choices: ENCODERS as unknown as string[], default: 'small-cnn', describe: 'Built-in encoder' },
    model: { type: 'string', describe: 'Your tfjs LayersModel (model.json) to train with a projection head' },
    'embedding-dim': { type: 'number', default: 64, describe: 'Embedding size D' },
    epochs: { type: 'number', default: 10 },
    'batch-size': { type: 'number', default: 128, describe: 'Offline: triplets per batch' },
    p: { type: 'number', describe: 'Online: classes per batch P (default min(32, classes))' },
    k: {
      type: 'number',
      describe: 'Online: images per class per batch K (default max(4, 128/P)); smaller classes resampled',
    },
    margin: { type: 'number', default: 0.2 },
    reduction: {
      choices: REDUCTIONS as unknown as string[],
      default: 'nonzero-mean',
      describe: 'nonzero-mean = PML AvgNonZeroReducer; soft-margin = softplus (PML smooth_loss)',
    },
    'learning-rate': { type: 'number', default: 1e-3, describe: 'Adam learning rate' },
    seed: { type: 'number', default: 0 },
    'remine-every': { type: 'number', describe: 'Offline: re-embed and re-mine the training set every E epochs' },
    'crop-padding': { type: 'number', default: 0, describe: 'Augmentation: random shift up to N pixels (0 = off)' },
    flip: { type: 'boolean', default: false, describe: 'Augmentation: random left-right flip (off for digits)' },
    mean: { type: 'number', array: true, describe: 'Per-channel mean after /255 (default 0)' },
    std: { type: 'number', array: true, describe: 'Per-channel std after /255 (default 1)' },
    backend: {
      choices: BACKEND_CHOICES as unknown as string[],
      default: 'auto',
      describe: 'auto: tfjs-node-gpu, tfjs-node, wasm, cpu — the first available',
    },
    workers: {
      type: 'number',
      describe:
        'Data-parallel worker threads (default on wasm: all cores, at most 4; else 1); each takes its own batch',
    },
    resume: { type: 'boolean', default: false, describe: 'Continue from <out>/checkpoint exactly where it stopped' },
    'steps-per-epoch': { type: 'number', describe: 'Stop each epoch after this many batches (quick runs)' },
  },
  examples: [
    ['tripletkit train --images train.arrow --mining semi-hard --val val.arrow -o runs/mnist', 'online mining'],
    ['tripletkit train --images train.arrow --triplets mined.arrow -o runs/offline --remine-every 2', 'offline'],
  ],
  handlesInterrupt: true,
  run: (args, ctx) =>
    train({
      images: args.images,
      triplets: args.triplets,
      mining: args.mining,
      out: args.out,
      val: args.val,
      encoder: args.encoder,
      model: args.model,
      embeddingDim: args.embeddingDim,
      epochs: args.epochs,
      batchSize: args.batchSize,
      p: args.p,
      k: args.k,
      margin: args.margin,
      reduction: args.reduction,
      learningRate: args.learningRate,
      seed: args.seed,
      remineEvery: args.remineEvery,
      augment: args.cropPadding || args.flip ? { cropPadding: args.cropPadding, flip: args.flip } : undefined,
      normalization: args.mean || args.std ? { mean: args.mean ?? [0], std: args.std ?? [1] } : undefined,
      backend: args.backend,
      workers: args.workers,
      resume: args.resume,
      stepsPerEpoch: args.stepsPerEpoch,
      signal: ctx.signal,
      // Notes go to stderr so that --json keeps stdout to one JSON object.
      log: (line) => process.stderr.write(`${line}\n`),
    }),
  summarize: (r) => [
    `trained ${r.epochs.length} epoch(s) (${r.mode}, backend ${r.backend}), ${r.imagesPerSecond.toFixed(0)} images/s`,
    ...(r.bestPrecisionAt1 === null ? [] : [`best validation P@1: ${r.bestPrecisionAt1.toFixed(4)}`]),
    `model: ${r.modelDir}`,
  ],
});
