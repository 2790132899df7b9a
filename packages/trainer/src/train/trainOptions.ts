/**
 * What {@link train} takes and returns, and the one validation of its options at the public boundary.
 */
import {
  expectNonNegativeInteger,
  expectNumber,
  expectOneOf,
  expectPositiveInteger,
  invalidArgument,
  type ProgressOption,
  TripletkitError,
} from '@tripletkit/common';
import type { BackendInfo } from '../backend/selectBackend.ts';
import type { Augmentation, Normalization } from '../data/pixels.ts';
import { ONLINE_MINING, type OnlineMining } from '../mining/batchTriplets.ts';
import {
  type BackendChoice,
  ENCODERS,
  type EncoderName,
  REDUCTIONS,
  type Reduction,
  trainOptionSpecs as specs,
} from './trainOptionSpecs.ts';

/** Options of {@link train}. Exactly one of `triplets` (offline) and `mining` (online) is required. */
export interface TrainOptions {
  /** Training images file (tripletkit load output). */
  images: string;
  /** Offline mode: triplets mined from `images` (tripletkit mine output). */
  triplets?: string;
  /** Online mode: mining strategy applied to every P×K batch. */
  mining?: OnlineMining;
  /** Output directory: model/ (best by validation P@1, else last), checkpoint/, train.jsonl. */
  out: string;
  /** Validation images file: P@1 after every epoch; the best epoch's model is kept. */
  val?: string;
  /** Built-in encoder (default small-cnn). Ignored with `model`. */
  encoder?: EncoderName;
  /** A tfjs LayersModel (model.json) to train with a projection head. */
  model?: string;
  /** Embedding size D (default 64). */
  embeddingDim?: number;
  /** Default 10. */
  epochs?: number;
  /** Offline: triplets per batch (default 128). */
  batchSize?: number;
  /**
   * Online: classes per batch P and images per class K. Defaults aim at ~128 images: P = min(32, classes),
   * K = max(4, round(128 / P)) — e.g. 10 × 13 for digits.
   */
  p?: number;
  k?: number;
  /** Triplet margin (default 0.2, PML). */
  margin?: number;
  /** Default nonzero-mean (PML's AvgNonZeroReducer). */
  reduction?: Reduction;
  /** Adam learning rate (default 1e-3). */
  learningRate?: number;
  /** Seed of initial weights, shuffles, sampling and augmentation (default 0). */
  seed?: number;
  /** Offline: re-embed the training set and re-mine every E epochs with the current model. */
  remineEvery?: number;
  augment?: Augmentation;
  normalization?: Normalization;
  /** Default auto. */
  backend?: BackendChoice;
  /**
   * Data-parallel worker threads (wasm/cpu). Each step, every worker takes its own batch (online: one P×K batch each;
   * offline: a share of the triplet batch) and their gradients are combined exactly. Default: all cores (at most 4) on
   * wasm, 1 otherwise. A checkpoint resumes with the same count.
   */
  workers?: number;
  /** Continue from out/checkpoint. */
  resume?: boolean;
  /** Stop after this many batches per epoch (quick runs, benchmarks). */
  stepsPerEpoch?: number;
  /** Aborting saves a checkpoint, then rejects with E_INTERRUPTED. */
  signal?: AbortSignal;
  /** Human-readable notes (backend chosen, best model saved, ...). */
  log?: (line: string) => void;
  /** Progress of each epoch on stderr (true, default), none (false), or a callback. */
  progress?: ProgressOption;
  onStep?: (s: StepLog) => void;
  onEpoch?: (e: EpochLog) => void;
}

/** One line of train.jsonl per batch. */
export interface StepLog {
  type: 'step';
  epoch: number;
  step: number;
  loss: number;
  /** Fraction of the batch's triplets with a non-zero loss. */
  activeFraction: number;
  triplets: number;
  imagesPerSecond: number;
}

/** One line of train.jsonl per epoch. */
export interface EpochLog {
  type: 'epoch';
  epoch: number;
  loss: number;
  activeFraction: number;
  imagesPerSecond: number;
  precisionAt1: number | null;
  best: boolean;
  seconds: number;
}

/** Result of {@link train}. */
export interface TrainResult {
  out: string;
  /** The model to use: out/model (the best epoch with `val`, else the last). */
  modelDir: string;
  backend: BackendInfo['name'];
  /** With `--backend auto`: why this backend was chosen (the measurement behind it), else null. */
  backendReason: string | null;
  mode: 'offline' | 'online';
  epochs: EpochLog[];
  bestPrecisionAt1: number | null;
  imagesPerSecond: number;
}

/** Checks the options once and fills in the defaults (from the option specs) of the values every phase uses. */
export function validateTrainOptions(o: TrainOptions) {
  if (!o.triplets === !o.mining) {
    throw new TripletkitError('E_ARG', 'Give exactly one of --triplets (offline) and --mining (online).', {
      hint: `Offline: --triplets mined.arrow; online: --mining ${ONLINE_MINING.join('|')}.`,
    });
  }
  if (o.mining) expectOneOf('mining', o.mining, ONLINE_MINING);
  if (o.encoder) expectOneOf('encoder', o.encoder, ENCODERS);
  // Resolved here, once, so that no later phase restates a default.
  const encoder: EncoderName = o.encoder ?? specs.encoder.default;
  const backend: BackendChoice = o.backend ?? specs.backend.default;
  const reduction = expectOneOf('reduction', o.reduction ?? specs.reduction.default, REDUCTIONS);
  const epochs = expectPositiveInteger('epochs', o.epochs ?? specs.epochs.default);
  const batchSize = expectPositiveInteger('batchSize', o.batchSize ?? specs.batchSize.default);
  if (o.p !== undefined) expectPositiveInteger('p', o.p);
  if (o.k !== undefined) {
    expectPositiveInteger('k', o.k);
    if (o.k < 2) invalidArgument('k', 'integer >= 2 (an anchor needs a positive)', o.k);
  }
  const margin = expectNumber('margin', o.margin ?? specs.margin.default, { min: 0 });
  const learningRate = expectNumber('learningRate', o.learningRate ?? specs.learningRate.default, { min: 0 });
  const seed = expectNonNegativeInteger('seed', o.seed ?? specs.seed.default);
  const embeddingDim = expectPositiveInteger('embeddingDim', o.embeddingDim ?? specs.embeddingDim.default);
  if (o.remineEvery !== undefined) {
    expectPositiveInteger('remineEvery', o.remineEvery);
    if (!o.triplets) invalidArgument('remineEvery', 'offline mode (--triplets)', o.remineEvery);
  }
  if (o.stepsPerEpoch !== undefined) expectPositiveInteger('stepsPerEpoch', o.stepsPerEpoch);
  if (o.workers !== undefined) expectPositiveInteger('workers', o.workers);
  return { encoder, backend, reduction, epochs, batchSize, margin, learningRate, seed, embeddingDim };
}

/** The validated values of a run, defaults filled in. */
export type ValidTrainOptions = ReturnType<typeof validateTrainOptions>;
