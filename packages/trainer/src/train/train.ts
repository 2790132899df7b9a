/**
 * `train()`: the trainer's entry point (what `tripletkit train` calls). Picks the backend, reads the data, builds or
 * resumes the shared encoder, and runs offline (mined triplets) or online (P×K + mining) epochs with checkpoints,
 * a JSONL log, validation P@1 and clean Ctrl-C handling.
 */
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import {
  checkOutput,
  createProgress,
  deriveSeed,
  expectNonNegativeInteger,
  expectNumber,
  expectOneOf,
  expectPositiveInteger,
  invalidArgument,
  lockFolder,
  type ProgressOption,
  TripletkitError,
} from '@tripletkit/common';
import { mine } from '@tripletkit/miner';
import { type BackendChoice, type BackendInfo, selectBackend } from '../backend/selectBackend.ts';
import { BatchPrefetcher } from '../data/batchPrefetcher.ts';
import { describeStorage, type ImageSet, readImageSet } from '../data/imageSet.ts';
import { type Augmentation, augmentPixels, type Normalization } from '../data/pixels.ts';
import { readTriplets, type TripletList } from '../data/tripletsFile.ts';
import { lossDenominator, REDUCTIONS, type Reduction } from '../loss/tripletLoss.ts';
import { ONLINE_MINING, type OnlineMining } from '../mining/batchTriplets.ts';
import { buildEncoder, ENCODERS, type EncoderName, modelInputShape, withProjectionHead } from '../model/encoders.ts';
import { loadModel, type ModelMetadata, saveModel } from '../model/modelIO.ts';
import { WorkerEngine } from '../parallel/workerEngine.ts';
import { Adam } from './adam.ts';
import { offlineEpoch, onlineEpoch, type PlannedBatch, splitOffline } from './batches.ts';
import { loadCheckpoint, saveCheckpoint, type TrainState } from './checkpoint.ts';
import { computeStep, type StepConfig, type StepInput } from './computeStep.ts';
import { embedSet, precisionAt1 } from './evaluate.ts';

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
  mode: 'offline' | 'online';
  epochs: EpochLog[];
  bestPrecisionAt1: number | null;
  imagesPerSecond: number;
}

function validate(o: TrainOptions) {
  if (!o.triplets === !o.mining) {
    throw new TripletkitError('E_ARG', 'Give exactly one of --triplets (offline) and --mining (online).', {
      hint: 'Offline: --triplets mined.arrow; online: --mining semi-hard|semi-hard-tfa|hard|batch-hard|batch-all.',
    });
  }
  if (o.mining) expectOneOf('mining', o.mining, ONLINE_MINING);
  if (o.encoder) expectOneOf('encoder', o.encoder, ENCODERS);
  const reduction = expectOneOf('reduction', o.reduction ?? 'nonzero-mean', REDUCTIONS);
  const epochs = expectPositiveInteger('epochs', o.epochs ?? 10);
  const batchSize = expectPositiveInteger('batchSize', o.batchSize ?? 128);
  if (o.p !== undefined) expectPositiveInteger('p', o.p);
  if (o.k !== undefined) {
    expectPositiveInteger('k', o.k);
    if (o.k < 2) invalidArgument('k', 'integer >= 2 (an anchor needs a positive)', o.k);
  }
  const margin = expectNumber('margin', o.margin ?? 0.2, { min: 0 });
  const learningRate = expectNumber('learningRate', o.learningRate ?? 1e-3, { min: 0 });
  const seed = expectNonNegativeInteger('seed', o.seed ?? 0);
  const embeddingDim = expectPositiveInteger('embeddingDim', o.embeddingDim ?? 64);
  if (o.remineEvery !== undefined) {
    expectPositiveInteger('remineEvery', o.remineEvery);
    if (!o.triplets) invalidArgument('remineEvery', 'offline mode (--triplets)', o.remineEvery);
  }
  if (o.stepsPerEpoch !== undefined) expectPositiveInteger('stepsPerEpoch', o.stepsPerEpoch);
  if (o.workers !== undefined) expectPositiveInteger('workers', o.workers);
  return { reduction, epochs, batchSize, margin, learningRate, seed, embeddingDim };
}

function checkShape(model: tfl.LayersModel, set: ImageSet, what: string): void {
  const [h, w, c] = modelInputShape(model);
  const [H, W, C] = set.shape;
  if ((h !== null && h !== H) || (w !== null && w !== W) || (c !== null && c !== C)) {
    throw new TripletkitError(
      'E_MODEL',
      `The model takes ${h}×${w}×${c} images but the ${what} ${set.path} holds ${H}×${W}×${C}.`,
      {
        hint: `Reload the images at the model's size (tripletkit load --size ${h} --channels ${c}) or use another model.`,
      },
    );
  }
}

/**
 * Trains a shared encoder with a triplet loss.
 *
 * @example
 * const r = await train({ images: 'train.arrow', mining: 'semi-hard', val: 'val.arrow', out: 'runs/mnist', epochs: 5 });
 * console.log(r.bestPrecisionAt1, r.modelDir);
 */
export async function train(options: TrainOptions): Promise<TrainResult> {
  const o = validate(options);
  // One run per --out folder: two would interleave train.jsonl and overwrite each other's checkpoints.
  await checkOutput(options.out, '--out folder', 'folder');
  const release = await lockFolder(options.out, '--out folder', 'tripletkit train');
  try {
    return await trainLocked(options, o);
  } finally {
    await release();
  }
}

async function trainLocked(options: TrainOptions, o: ReturnType<typeof validate>): Promise<TrainResult> {
  const log = options.log ?? (() => undefined);
  const backend = await selectBackend(options.backend ?? 'auto');
  log(`backend: ${backend.description}`);
  const trainSet = await readImageSet(options.images, { minClasses: 2, what: 'training images file' });
  const valSet = options.val ? await readImageSet(options.val, { what: 'validation images file' }) : undefined;
  for (const set of valSet ? [trainSet, valSet] : [trainSet]) log(describeStorage(set));
  if (valSet && valSet.shape.join() !== trainSet.shape.join()) {
    throw new TripletkitError(
      'E_DATA',
      `The validation images are ${valSet.shape.join('×')} but the training images are ${trainSet.shape.join('×')}.`,
      { hint: 'Load both with the same --size and --channels.' },
    );
  }
  let triplets: TripletList | undefined = options.triplets
    ? await readTriplets(options.triplets, trainSet.rows, trainSet.labels)
    : undefined;
  const mode = triplets ? 'offline' : 'online';
  const classes = new Set(trainSet.labels).size;
  const p = options.p ?? Math.min(32, classes);
  const k = options.k ?? Math.max(4, Math.round(128 / p));
  const norm = options.normalization ?? { mean: trainSet.shape.map(() => 0), std: trainSet.shape.map(() => 1) };
  const normalization: Normalization = {
    mean: norm.mean.length === 1 ? Array(trainSet.shape[2]).fill(norm.mean[0]) : norm.mean,
    std: norm.std.length === 1 ? Array(trainSet.shape[2]).fill(norm.std[0]) : norm.std,
  };
  // tensorflow: one process — libtensorflow already spreads each op over all cores, and data-parallel worker threads
  // (each with its own libtensorflow pool) measured slower (README, trainer benchmark).
  const workers =
    backend.name === 'tensorflow'
      ? 1
      : (options.workers ?? (backend.name === 'wasm' ? Math.min(4, os.availableParallelism()) : 1));
  if (backend.name === 'tensorflow' && (options.workers ?? 1) > 1) {
    log(`tensorflow: --workers ${options.workers} ignored; one process uses libtensorflow's thread pool on every core`);
  }
  const fingerprint = JSON.stringify({
    mode,
    batch: mode === 'offline' ? o.batchSize : [p, k],
    seed: o.seed,
    workers,
  });
  const out = options.out;
  const ckDir = path.join(out, 'checkpoint');
  const modelDir = path.join(out, 'model');

  let model: tfl.LayersModel;
  let state: TrainState = { epoch: 0, step: 0, globalStep: 0, bestPrecisionAt1: null, fingerprint, remined: false };
  const optimizer = new Adam(o.learningRate);
  let encoderName: string = options.encoder ?? 'small-cnn';
  if (options.resume) {
    const ck = await loadCheckpoint(ckDir);
    if (ck.state.fingerprint !== fingerprint) {
      throw new TripletkitError(
        'E_ARG',
        `The checkpoint in ${ckDir} was made with other settings (${ck.state.fingerprint}).`,
        {
          hint: 'Resume with the same mode, batch size / P×K, seed and worker count, or start a new --out directory.',
        },
      );
    }
    model = ck.model;
    state = ck.state;
    encoderName = ck.metadata?.encoder ?? encoderName;
    await optimizer.setWeights(ck.optimizerWeights);
    if (ck.remined && triplets) triplets = { ...triplets, ...ck.remined };
    log(`resuming from ${ckDir} at epoch ${state.epoch + 1}, batch ${state.step}`);
  } else if (options.model) {
    const base = await loadModel(options.model);
    model = withProjectionHead(base.model, { embeddingDim: o.embeddingDim, seed: o.seed });
    encoderName = 'custom';
  } else {
    model = buildEncoder(options.encoder ?? 'small-cnn', {
      inputShape: trainSet.shape,
      embeddingDim: o.embeddingDim,
      seed: o.seed,
    });
  }
  checkShape(model, trainSet, 'training images file');
  const dim = model.outputs[0].shape[1] as number;
  const metadata = (extra: Record<string, unknown> = {}): ModelMetadata => ({
    embeddingDim: dim,
    inputShape: trainSet.shape,
    normalization,
    encoder: encoderName,
    classes: trainSet.classes,
    // The classes actually trained on (a split file lists them all): `--features auto` tells unseen ones by this.
    trainedClasses: [...new Set(trainSet.labels)].sort((a, b) => a - b).map((l) => trainSet.classes[l] ?? String(l)),
    ...extra,
  });
  const config: StepConfig = {
    shape: trainSet.shape,
    normalization,
    margin: o.margin,
    reduction: o.reduction,
    mining: options.mining,
  };
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  // libtensorflow (maybe a GPU): weights and Adam's moments stay in the backend; per step only the batch's pixels go
  // in and its embeddings/distances and loss come out (for mining). wasm/cpu keep the fused host Adam.
  const onDevice = backend.name === 'tensorflow' && workers === 1;
  const engine = workers > 1 ? await WorkerEngine.start(model, backend.name, config, workers) : undefined;
  if (engine) log(`data-parallel: ${workers} worker threads`);

  await fs.mkdir(out, { recursive: true });
  const logStream = createWriteStream(path.join(out, 'train.jsonl'), { flags: options.resume ? 'a' : 'w' });
  const writeLog = (entry: object) => logStream.write(`${JSON.stringify(entry)}\n`);
  const epochs: EpochLog[] = [];
  let totalImages = 0;
  let totalSeconds = 0;
  let remined: { anchors: Int32Array; positives: Int32Array; negatives: Int32Array } | undefined;

  const checkpoint = () => saveCheckpoint(ckDir, model, optimizer, metadata({ epoch: state.epoch }), state, remined);

  try {
    for (; state.epoch < o.epochs; state.epoch++, state.step = 0) {
      const epoch = state.epoch;
      if (triplets && options.remineEvery && epoch > 0 && epoch % options.remineEvery === 0 && state.step === 0) {
        triplets = remine(model, trainSet, normalization, triplets, o.margin, o.seed, epoch);
        remined = triplets;
        state.remined = true;
        log(`epoch ${epoch + 1}: re-mined ${triplets.anchors.length} triplets with the current model`);
      }
      const batches: PlannedBatch[] = triplets
        ? offlineEpoch(triplets, o.batchSize, o.seed, epoch)
        : onlineEpoch(trainSet.labels, p, k, o.seed, epoch);
      // A step = one batch per worker (online) or one batch shared out among the workers (offline).
      let plan: PlannedBatch[][] = [];
      if (triplets) plan = batches.map((b) => splitOffline(b, workers));
      else for (let i = 0; i < batches.length; i += workers) plan.push(batches.slice(i, i + workers));
      if (options.stepsPerEpoch) plan = plan.slice(0, options.stepsPerEpoch);
      const bar = createProgress({
        label: `epoch ${epoch + 1}/${o.epochs}`,
        total: plan.length,
        unit: 'batches',
        progress: options.progress,
      });
      const t0 = performance.now();
      let lossTotal = 0;
      let activeTotal = 0;
      let countTotal = 0;
      let images = 0;
      let stepsRun = 0;
      // Reads (and augments) the next steps' rows in the background while a step computes (bounded: 2 steps ahead).
      const augment = options.augment;
      const ahead = new BatchPrefetcher(
        trainSet,
        plan.map((parts) => parts.map((b) => b.rows)),
        augment &&
          ((pixels, step, part) => {
            const seed = deriveSeed(o.seed, epoch, step, part, 2);
            augmentPixels(pixels, plan[step][part].rows.length, trainSet.shape, augment, seed);
          }),
      );
      const prepare = async (step: number): Promise<StepInput[]> => {
        const pixels = await ahead.take(step);
        return plan[step].map((b, part) => ({
          pixels: pixels[part],
          rows: b.rows.length,
          triplets: b.triplets,
          labels: b.labels,
        }));
      };
      let inputs = state.step < plan.length ? await prepare(state.step) : [];
      for (; state.step < plan.length; state.step++) {
        // One event-loop turn per step: without workers a step never awaits, and a signal (Ctrl-C, SIGTERM) would
        // only be seen at the end of the epoch.
        if (!engine) await new Promise((resolve) => setImmediate(resolve));
        if (options.signal?.aborted) {
          bar.finish();
          if (weightsFinite(model)) await checkpoint();
          throw new TripletkitError(
            'E_INTERRUPTED',
            `Training interrupted in epoch ${epoch + 1} at batch ${state.step}; checkpoint saved to ${ckDir}.`,
            { hint: 'Continue exactly where it stopped with the same command plus --resume.' },
          );
        }
        const ts = performance.now();
        const stepImages = inputs.reduce((n, x) => n + x.rows, 0);
        let lossSum: number;
        let active: number;
        let count: number;
        let grads: Float32Array[] | undefined;
        let gradTensors: tf.Tensor[] | undefined;
        if (engine) {
          const weights = model.weights.map((w) => w.read().dataSync() as Float32Array);
          const pending = engine.step(inputs, weights);
          // Overlap: gather (and augment) the next step's pixels while the workers compute.
          const next = state.step + 1 < plan.length ? prepare(state.step + 1) : Promise.resolve([]);
          const r = await pending;
          inputs = await next;
          ({ lossSum, active, count, grads } = r);
          tf.tidy(() => {
            model.nonTrainableWeights.forEach((w, i) => {
              w.write(tf.tensor(r.state[i], w.shape as number[], 'float32'));
            });
          });
        } else {
          const r = computeStep(model, inputs[0], config);
          ({ lossSum, active, count } = r);
          if (onDevice) gradTensors = r.grads;
          else {
            grads = r.grads.map((g) => g.dataSync() as Float32Array);
            tf.dispose(r.grads);
          }
          inputs = state.step + 1 < plan.length ? await prepare(state.step + 1) : [];
        }
        const denom = lossDenominator(o.reduction, active, count);
        const loss = lossSum / denom;
        if (!Number.isFinite(loss)) {
          tf.dispose(gradTensors);
          throw new TripletkitError(
            'E_TRAINING',
            `The loss became ${loss} in epoch ${epoch + 1} at batch ${state.step}; training stopped.`,
            { hint: `${await keptCheckpoint(ckDir)} Lower --learning-rate, check the images for corrupt values.` },
          );
        }
        if (gradTensors) {
          optimizer.applyToVariables(vars, gradTensors, 1 / denom);
          tf.dispose(gradTensors);
        } else if (grads) {
          const params = vars.map((v) => Float32Array.from(v.dataSync()));
          optimizer.apply(params, grads, 1 / denom);
          tf.tidy(() => {
            vars.forEach((v, i) => {
              v.assign(tf.tensor(params[i], v.shape, 'float32'));
            });
          });
        }
        const secs = (performance.now() - ts) / 1000;
        lossTotal += loss;
        activeTotal += active;
        countTotal += count;
        images += stepImages;
        stepsRun++;
        state.globalStep++;
        const entry: StepLog = {
          type: 'step',
          epoch: epoch + 1,
          step: state.step + 1,
          loss,
          activeFraction: count ? active / count : 0,
          triplets: count,
          imagesPerSecond: stepImages / secs,
        };
        writeLog(entry);
        options.onStep?.(entry);
        bar.tick();
        bar.note(`loss ${loss.toFixed(4)}`);
      }
      bar.finish();
      // The last update can overflow the weights even when the loss it came from was finite: never save those.
      if (!weightsFinite(model)) {
        throw new TripletkitError(
          'E_TRAINING',
          `The weights became non-finite (NaN/Infinity) in epoch ${epoch + 1}; training stopped.`,
          { hint: `${await keptCheckpoint(ckDir)} Lower --learning-rate.` },
        );
      }
      const seconds = (performance.now() - t0) / 1000;
      totalImages += images;
      totalSeconds += seconds;
      const p1 = valSet ? precisionAt1(model, valSet, normalization) : null;
      const best = p1 === null || state.bestPrecisionAt1 === null || p1 > state.bestPrecisionAt1;
      if (p1 !== null && best) state.bestPrecisionAt1 = p1;
      const entry: EpochLog = {
        type: 'epoch',
        epoch: epoch + 1,
        // Averaged over the steps this run did (a resumed epoch's first steps were logged by the run before).
        loss: stepsRun ? lossTotal / stepsRun : 0,
        activeFraction: countTotal ? activeTotal / countTotal : 0,
        imagesPerSecond: images / seconds,
        precisionAt1: p1,
        best,
        seconds,
      };
      if (best) await saveModel(model, modelDir, metadata({ epoch: epoch + 1, precisionAt1: p1 }));
      writeLog(entry);
      epochs.push(entry);
      options.onEpoch?.(entry);
      log(
        `epoch ${epoch + 1}/${o.epochs}: loss ${entry.loss.toFixed(4)}, active ${(entry.activeFraction * 100).toFixed(1)}%` +
          `${p1 === null ? '' : `, val P@1 ${p1.toFixed(4)}${best ? ' (best)' : ''}`}, ${entry.imagesPerSecond.toFixed(0)} images/s`,
      );
      state.step = plan.length;
      const next = { ...state, epoch: epoch + 1, step: 0 };
      await saveCheckpoint(ckDir, model, optimizer, metadata({ epoch: epoch + 1 }), next, remined);
    }
  } finally {
    optimizer.dispose();
    await trainSet.close();
    await valSet?.close();
    await engine?.close();
    await new Promise<void>((resolve) => logStream.end(resolve));
  }
  return {
    out,
    modelDir,
    backend: backend.name,
    mode,
    epochs,
    bestPrecisionAt1: state.bestPrecisionAt1,
    imagesPerSecond: totalSeconds ? totalImages / totalSeconds : 0,
  };
}

/** The NaN hint names a checkpoint only when one exists (none does before the first epoch ends). */
async function keptCheckpoint(ckDir: string): Promise<string> {
  const exists = await fs.stat(path.join(ckDir, 'state.json')).then(
    () => true,
    () => false,
  );
  return exists
    ? `The last good checkpoint is kept in ${ckDir}: --resume continues from it, or restart.`
    : 'No checkpoint was saved yet (this happened in the first epoch): restart.';
}

function weightsFinite(model: tfl.LayersModel): boolean {
  for (const w of model.weights) {
    const v = w.read().dataSync();
    for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i])) return false;
  }
  return true;
}

/** Embeds the training set with the current model and mines again with the triplets file's strategy and margin. */
function remine(
  model: tfl.LayersModel,
  set: ImageSet,
  norm: Normalization,
  previous: TripletList,
  margin: number,
  seed: number,
  epoch: number,
): TripletList {
  const dim = model.outputs[0].shape[1] as number;
  const emb = embedSet(model, set, norm);
  const strategy = (previous.strategy ?? 'semi-hard') as 'all' | 'hard' | 'semi-hard' | 'easy' | 'batch-hard';
  // Keep the triplet count comparable to the original file (an uncapped "all" can be quadratic in the rows).
  const perAnchor = Math.max(1, Math.ceil(previous.anchors.length / set.rows));
  const t = mine(emb, dim, set.labels, {
    strategy,
    margin: previous.margin ?? margin,
    maxPerAnchor: perAnchor,
    seed: deriveSeed(seed, epoch, 3),
  });
  if (t.anchors.length === 0) return previous;
  return { anchors: t.anchors, positives: t.positives, negatives: t.negatives, strategy, margin: previous.margin };
}
