/**
 * The options of {@link train} as data (`@tripletkit/trainer/options`): type, default, choices and a line of help
 * each, defined once here. `validateTrainOptions` fills in these defaults and `tripletkit train` derives its flags from
 * them. Light on purpose: no TensorFlow.js — the CLI builds its parser from this file without loading the trainer.
 */
import type { OptionSpecs } from '@tripletkit/common/options';
import { DEFAULT_MARGIN, ONLINE_MINING } from '@tripletkit/miner/options';

/** How per-triplet losses become the batch loss. */
export type Reduction = 'nonzero-mean' | 'mean' | 'soft-margin';
export const REDUCTIONS: readonly Reduction[] = ['nonzero-mean', 'mean', 'soft-margin'];

/** The built-in encoders. */
export type EncoderName = 'small-cnn' | 'resnet-small';
export const ENCODERS: readonly EncoderName[] = ['small-cnn', 'resnet-small'];

/** What `--backend` accepts. */
export type BackendChoice = 'auto' | 'tensorflow' | 'wasm' | 'cpu';
export const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', 'tensorflow', 'wasm', 'cpu'];

/**
 * @example
 * trainOptionSpecs.margin.default; // 0.2
 * trainOptionSpecs.reduction.choices; // ['nonzero-mean', 'mean', 'soft-margin']
 */
export const trainOptionSpecs = {
  images: { type: 'string', describe: 'Training images file (tripletkit load output)' },
  triplets: { type: 'string', describe: 'Offline mode: triplets mined from --images (tripletkit mine output)' },
  mining: { type: 'string', choices: ONLINE_MINING, describe: 'Online mode: mining on every P×K batch' },
  out: { type: 'string', describe: 'Output folder: model/, checkpoint/, train.jsonl' },
  val: { type: 'string', describe: 'Validation images: P@1 each epoch, best model kept' },
  encoder: { type: 'string', choices: ENCODERS, default: 'small-cnn', describe: 'Built-in encoder' },
  model: { type: 'string', describe: 'Your tfjs LayersModel (model.json) to train with a projection head' },
  embeddingDim: { type: 'number', default: 64, describe: 'Embedding size D' },
  epochs: { type: 'number', default: 10, describe: 'Passes over the training data' },
  batchSize: { type: 'number', default: 128, describe: 'Offline: triplets per batch' },
  p: { type: 'number', describe: 'Online: classes per batch P (default min(32, classes))' },
  k: {
    type: 'number',
    describe: 'Online: images per class per batch K (default max(4, 128/P)); smaller classes resampled',
  },
  margin: { type: 'number', default: DEFAULT_MARGIN, describe: `Triplet margin (PML default ${DEFAULT_MARGIN})` },
  reduction: {
    type: 'string',
    choices: REDUCTIONS,
    default: 'nonzero-mean',
    describe: 'nonzero-mean = PML AvgNonZeroReducer; soft-margin = softplus (PML smooth_loss)',
  },
  learningRate: { type: 'number', default: 1e-3, describe: 'Adam learning rate' },
  seed: { type: 'number', default: 0, describe: 'Seed of initial weights, shuffles, sampling and augmentation' },
  remineEvery: { type: 'number', describe: 'Offline: re-embed and re-mine the training set every E epochs' },
  backend: {
    type: 'string',
    choices: BACKEND_CHOICES,
    default: 'auto',
    describe: 'auto: a CUDA GPU, else the CPU backend measured fastest for the encoder',
  },
  workers: {
    type: 'number',
    describe: 'Data-parallel worker threads (default on wasm: all cores, at most 4; else 1); each takes its own batch',
  },
  resume: { type: 'boolean', default: false, describe: 'Continue from <out>/checkpoint exactly where it stopped' },
  stepsPerEpoch: { type: 'number', describe: 'Stop each epoch after this many batches (quick runs)' },
} as const satisfies OptionSpecs;

/** The fields of `train`'s `augment` option (off by default). */
export const augmentationOptionSpecs = {
  cropPadding: { type: 'number', default: 0, describe: 'Augmentation: random shift up to N pixels (0 = off)' },
  flip: { type: 'boolean', default: false, describe: 'Augmentation: random left-right flip (off for digits)' },
} as const satisfies OptionSpecs;

/** The fields of `train`'s `normalization` option (per channel, after /255). */
export const normalizationOptionSpecs = {
  mean: { type: 'number', array: true, describe: 'Per-channel mean after /255 (default 0)' },
  std: { type: 'number', array: true, describe: 'Per-channel std after /255 (default 1)' },
} as const satisfies OptionSpecs;
