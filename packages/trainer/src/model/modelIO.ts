/**
 * Saving and loading tfjs model directories without tfjs-node (whose `file://` handler is the usual way): the files
 * are exactly what tfjs-node writes — model.json (topology + weights manifest) and weights.bin — so
 * `tf.loadLayersModel('file://dir/model.json')` (tfjs-node) and `tf.loadLayersModel(tf.io.fromMemory(...))` both work.
 * tripletkit adds a `tripletkit` block to model.json (embedding size, input normalisation, training summary).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { fsError, TripletkitError, writeAtomic } from '@tripletkit/common';
import './l2Normalize.ts';

/** What tripletkit records about a model beside its weights. */
export interface ModelMetadata {
  /** Embedding size D. */
  embeddingDim: number;
  /** [height, width, channels] of the images the model takes. */
  inputShape: [number, number, number];
  /** Pixels are scaled x/255, then (x − mean)/std per channel. */
  normalization: { mean: number[]; std: number[] };
  /** Encoder name (`small-cnn`, `resnet-small`, or `custom`). */
  encoder: string;
  /** Class names of the training images, when known. */
  classes?: string[];
  /** Anything else worth keeping (epoch, P@1, ...). */
  [key: string]: unknown;
}

/** A model's topology, weight specs and weights as one buffer (what model.json + weights.bin hold). */
export interface SerializedModel {
  modelTopology: object;
  weightSpecs: tf.io.WeightsManifestEntry[];
  weightData: ArrayBuffer;
  generatedBy?: string;
}

/**
 * Serialises a LayersModel in memory (no file system, no tfjs-node IO handlers), e.g. to save it or to hand it to a
 * worker thread.
 *
 * @example
 * const { modelTopology, weightSpecs, weightData } = await serializeModel(model);
 */
export async function serializeModel(model: tfl.LayersModel): Promise<SerializedModel> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (!artifacts) throw new Error('model.save produced no artifacts');
  const data = artifacts.weightData as ArrayBuffer | ArrayBuffer[];
  let weightData: ArrayBuffer;
  if (Array.isArray(data)) {
    const out = new Uint8Array(data.reduce((n, b) => n + b.byteLength, 0));
    let o = 0;
    for (const b of data) {
      out.set(new Uint8Array(b), o);
      o += b.byteLength;
    }
    weightData = out.buffer;
  } else {
    weightData = data;
  }
  return {
    modelTopology: artifacts.modelTopology as object,
    weightSpecs: artifacts.weightSpecs ?? [],
    weightData,
    generatedBy: artifacts.generatedBy,
  };
}

/**
 * Writes `model` to directory `dir` (model.json + weights.bin), atomically: a complete directory replaces any old one.
 *
 * @example
 * await saveModel(model, 'runs/mnist', { embeddingDim: 64, inputShape: [28, 28, 1], normalization, encoder: 'small-cnn' });
 */
export async function saveModel(model: tfl.LayersModel, dir: string, metadata: ModelMetadata): Promise<void> {
  const artifacts = await serializeModel(model);
  const weights = artifacts.weightData;
  const json = {
    modelTopology: artifacts.modelTopology,
    format: 'layers-model',
    generatedBy: artifacts.generatedBy,
    convertedBy: null,
    weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
    tripletkit: metadata,
  };
  await writeAtomic(dir, async (tmp) => {
    await fs.mkdir(tmp, { recursive: true });
    await fs.writeFile(path.join(tmp, 'model.json'), JSON.stringify(json));
    await fs.writeFile(path.join(tmp, 'weights.bin'), new Uint8Array(weights));
  });
}

/** A loaded model with its tripletkit metadata (absent for models from elsewhere). */
export interface LoadedModel {
  model: tfl.LayersModel;
  metadata: ModelMetadata | undefined;
}

/**
 * Loads a model directory (or its model.json, or a training run's output directory) written by {@link saveModel}, tfjs-node or tensorflowjs_converter
 * (layers format).
 *
 * @example
 * const { model, metadata } = await loadModel('runs/mnist');
 */
export async function loadModel(location: string): Promise<LoadedModel> {
  let jsonPath = location.endsWith('.json') ? location : path.join(location, 'model.json');
  // A training run's output directory holds its model in model/.
  if (!location.endsWith('.json')) {
    const nested = path.join(location, 'model', 'model.json');
    const top = await fs.stat(jsonPath).catch(() => undefined);
    if (!top && (await fs.stat(nested).catch(() => undefined))) jsonPath = nested;
  }
  let text: string;
  try {
    text = await fs.readFile(jsonPath, 'utf8');
  } catch (err) {
    throw fsError(err, jsonPath, 'model file');
  }
  let json: {
    modelTopology?: object;
    weightsManifest?: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
    tripletkit?: ModelMetadata;
  };
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new TripletkitError('E_MODEL', `The model file ${jsonPath} is not valid JSON.`, {
      hint: 'Give a tfjs layers-model model.json (tripletkit train, tfjs-node model.save or tensorflowjs_converter).',
      cause: err,
    });
  }
  if (!json.modelTopology || !Array.isArray(json.weightsManifest)) {
    throw new TripletkitError('E_MODEL', `The model file ${jsonPath} has no modelTopology/weightsManifest.`, {
      hint: 'Give a tfjs layers-model model.json (graph models cannot be trained).',
    });
  }
  const dir = path.dirname(jsonPath);
  const specs: tf.io.WeightsManifestEntry[] = [];
  const buffers: Uint8Array[] = [];
  for (const group of json.weightsManifest) {
    specs.push(...group.weights);
    for (const p of group.paths) {
      const file = path.join(dir, p);
      try {
        buffers.push(await fs.readFile(file));
      } catch (err) {
        throw fsError(err, file, 'model weights file');
      }
    }
  }
  const total = buffers.reduce((s, b) => s + b.byteLength, 0);
  const weightData = new Uint8Array(total);
  let o = 0;
  for (const b of buffers) {
    weightData.set(b, o);
    o += b.byteLength;
  }
  try {
    const model = await tfl.loadLayersModel(
      tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: specs, weightData: weightData.buffer }),
    );
    return { model, metadata: json.tripletkit };
  } catch (err) {
    throw new TripletkitError('E_MODEL', `The model in ${jsonPath} cannot be loaded: ${(err as Error).message}.`, {
      hint: 'Check that model.json and its weight files belong together and come from a tfjs layers model.',
      cause: err,
    });
  }
}
