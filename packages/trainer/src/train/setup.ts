/**
 * The setup phase of {@link train}: the backend, the data (training and validation images, offline triplets), the
 * batch geometry and worker count, and the model — new, from a base model, or resumed from the checkpoint with its
 * optimizer state. What it returns is all the later phases read.
 */
import os from 'node:os';
import path from 'node:path';
import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { TripletkitError } from '@tripletkit/common';
import { type BackendInfo, selectBackend } from '../backend/selectBackend.ts';
import { describeStorage, type ImageSet, readImageSet } from '../data/imageSet.ts';
import type { Normalization } from '../data/pixels.ts';
import { readTriplets, type TripletList } from '../data/tripletsFile.ts';
import { buildEncoder, modelInputShape, withProjectionHead } from '../model/encoders.ts';
import { loadModel, type ModelMetadata } from '../model/modelIO.ts';
import { WorkerEngine } from '../parallel/workerEngine.ts';
import { Adam } from './adam.ts';
import { loadCheckpoint, type TrainState } from './checkpoint.ts';
import type { StepConfig } from './computeStep.ts';
import type { TrainOptions, ValidTrainOptions } from './trainOptions.ts';

/** Triplets found again by re-mining (saved with checkpoints so a resumed run trains on the same ones). */
export type ReminedTriplets = { anchors: Int32Array; positives: Int32Array; negatives: Int32Array };

/** Everything a training run holds between its phases. */
export interface TrainRun {
  options: TrainOptions;
  o: ValidTrainOptions;
  log: (line: string) => void;
  backend: BackendInfo;
  trainSet: ImageSet;
  valSet?: ImageSet;
  /** Offline mode's triplets (replaced by re-mining). */
  triplets?: TripletList;
  remined?: ReminedTriplets;
  mode: 'offline' | 'online';
  p: number;
  k: number;
  normalization: Normalization;
  workers: number;
  out: string;
  ckDir: string;
  modelDir: string;
  model: tfl.LayersModel;
  state: TrainState;
  optimizer: Adam;
  /** The metadata saved with the model and checkpoints, plus `extra`. */
  metadata: (extra?: Record<string, unknown>) => ModelMetadata;
  config: StepConfig;
  /** The trainable weights as backend variables (Adam updates them in place). */
  vars: tf.Variable[];
  /** tensorflow: weights and Adam's moments stay in the backend. */
  onDevice: boolean;
  /** Data-parallel worker threads (more than one worker). */
  engine?: WorkerEngine;
}

/**
 * Runs the setup phase. The caller owns what it opened (sets, optimizer, engine) once it returns.
 *
 * @example
 * const run = await setupTraining(options, validateTrainOptions(options));
 */
export async function setupTraining(options: TrainOptions, o: ValidTrainOptions): Promise<TrainRun> {
  const log = options.log ?? (() => undefined);
  // `auto` picks by the encoder (the faster CPU backend measured for it); a resumed run passes the same flags.
  const encoder = options.model ? 'custom' : o.encoder;
  const backend = await selectBackend(o.backend, { encoder });
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
  let encoderName: string = o.encoder;
  let remined: ReminedTriplets | undefined;
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
    if (ck.remined && triplets) {
      triplets = { ...triplets, ...ck.remined };
      // Saved again with every later checkpoint (its state says re-mined), until the next re-mining replaces them.
      remined = ck.remined;
    }
    log(`resuming from ${ckDir} at epoch ${state.epoch + 1}, batch ${state.step}`);
  } else if (options.model) {
    const base = await loadModel(options.model);
    model = withProjectionHead(base.model, { embeddingDim: o.embeddingDim, seed: o.seed });
    encoderName = 'custom';
  } else {
    model = buildEncoder(o.encoder, {
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
  return {
    options,
    o,
    log,
    backend,
    trainSet,
    valSet,
    triplets,
    remined,
    mode,
    p,
    k,
    normalization,
    workers,
    out,
    ckDir,
    modelDir,
    model,
    state,
    optimizer,
    metadata,
    config,
    vars,
    onDevice,
    engine,
  };
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
