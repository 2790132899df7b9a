/**
 * `tripletkit eval`'s library function: retrieval metrics of an embeddings file (against itself or a reference
 * file), of a model on an images file (embedded first, with the trainer), or of the raw pixels of an images file
 * (the baseline every trained model should beat).
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expectNonNegativeInteger, expectNumber, expectPositiveInteger, TripletkitError } from '@tripletkit/common';
import { decodeClasses, EMBEDDINGS_META } from '@tripletkit/common/formats';
import { openImages } from '@tripletkit/loader';
import {
  type DistanceKind,
  type FewShotOptions,
  type FewShotResult,
  fewShotAccuracy,
  type RetrievalMetrics,
  readEmbeddings,
  resolveEpisodeOptions,
  retrievalMetrics,
  type VerificationOptions,
  type VerificationResult,
  verification,
} from '@tripletkit/miner';
import { type BackendChoice, selectBackend } from '../backend/selectBackend.ts';
import { embedImages } from '../embed/embedImages.ts';
import { type Features, resolveFeatures } from '../model/backboneModel.ts';
import { loadModel } from '../model/modelIO.ts';
import { evaluateOptionSpecs } from './evaluateOptionSpecs.ts';

/** Options of {@link evaluate}: `embeddings`, or `images` (with `model`, or alone for raw pixels). */
export interface EvaluateOptions {
  /** Query embeddings file. */
  embeddings?: string;
  /** Reference embeddings file; absent → the queries are their own reference set (self excluded). */
  reference?: string;
  /** Query images file (tripletkit load output): embedded with `model`, or raw pixels (x/255) without one. */
  images?: string;
  /** Reference images file (with `images`). */
  referenceImages?: string;
  /** Model directory (tripletkit train output) that embeds `images`. */
  model?: string;
  /** TF.js backend for `model`. */
  backend?: BackendChoice;
  /** Which representation of `model` (default `auto`: backbone features on classes it never trained on). */
  features?: Features;
  distance?: DistanceKind;
  normalize?: boolean;
  /** Also N-way K-shot accuracy on seeded episodes drawn from the query file (nearest support and prototype). */
  fewShot?: FewShotOptions;
  /** Also same/different pair verification on the query file: ROC AUC, EER, TAR at FAR 1e-3. */
  verification?: VerificationOptions;
}

/** Result of {@link evaluate}: the metrics plus where they came from. */
export interface EvaluateResult extends RetrievalMetrics {
  /** What was evaluated: `embeddings`, `model` or `raw-pixels`. */
  source: 'embeddings' | 'model' | 'raw-pixels';
  queryFile: string;
  referenceFile: string | null;
  dim: number;
  classes: string[];
  /** With a model: the representation used (`auto` resolved). */
  features?: 'embedding' | 'backbone';
  fewShot?: FewShotResult;
  verification?: VerificationResult;
}

interface Side {
  embeddings: Float32Array;
  labels: Int32Array;
  dim: number;
  classes: string[];
  features?: 'embedding' | 'backbone';
}

function argError(message: string, hint: string): never {
  throw new TripletkitError('E_ARG', message, { hint });
}

/** Class names of an embeddings file: string labels as written, else `tripletkit.classes` metadata, else none. */
function namesOf(metadata: Record<string, string>, labelMap: Map<string, number>): string[] {
  if (labelMap.size > 0) {
    const names: string[] = [];
    for (const [name, id] of labelMap) names[id] = name;
    return names;
  }
  // Metadata is optional (pyarrow/polars files have none): class ids are shown instead.
  return decodeClasses(metadata[EMBEDDINGS_META.classes]) ?? [];
}

async function embeddingsSide(file: string, labelMap: Map<string, number>, what: string): Promise<Side> {
  const e = await readEmbeddings(file, { labelMap, what });
  return { embeddings: e.embeddings, labels: e.labels, dim: e.dim, classes: namesOf(e.metadata, labelMap) };
}

/** Raw pixels scaled to [0, 1], one row per image: the baseline a learned embedding has to beat. */
async function pixelsSide(file: string): Promise<Side> {
  const images = await openImages(file);
  try {
    const dim = images.height * images.width * images.channels;
    const embeddings = new Float32Array(images.numRows * dim);
    const labels = new Int32Array(images.numRows);
    for await (const b of images.batches()) {
      for (let i = 0; i < b.pixels.length; i++) embeddings[b.start * dim + i] = b.pixels[i] / 255;
      labels.set(b.labels, b.start);
    }
    return { embeddings, labels, dim, classes: images.classes };
  } finally {
    await images.close();
  }
}

async function modelSide(
  model: string,
  file: string,
  backend: BackendChoice | undefined,
  features: Features,
): Promise<Side> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tripletkit-eval-'));
  await selectBackend(backend);
  const loaded = await loadModel(model);
  try {
    const images = await openImages(file);
    const classes = images.classes;
    const labels = await images.labels();
    await images.close();
    const atHand = [...new Set(labels)].map((l) => classes[l] ?? String(l));
    const trained = loaded.metadata?.trainedClasses as string[] | undefined;
    const used = resolveFeatures(features, trained, atHand);
    const out = path.join(dir, 'embeddings.arrow');
    await embedImages(loaded.model, file, out, {
      backend,
      features: used,
      ...(loaded.metadata?.normalization ? { normalization: loaded.metadata.normalization } : {}),
    });
    const e = await readEmbeddings(out);
    return { embeddings: e.embeddings, labels: e.labels, dim: e.dim, classes, features: used };
  } finally {
    loaded.model.dispose();
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/**
 * @example
 * const trained = await evaluate({ model: 'runs/mnist', images: 'test.arrow' });
 * const pixels = await evaluate({ images: 'test.arrow' }); // raw-pixel baseline
 * console.log(trained.precisionAt1, pixels.precisionAt1);
 */
export async function evaluate(options: EvaluateOptions): Promise<EvaluateResult> {
  const { embeddings, images, model } = options;
  if (embeddings && images) {
    argError('Give either --embeddings or --images, not both.', 'Evaluate one kind of input per run.');
  }
  if (model && !images) {
    argError('--model needs --images: the images file the model embeds.', 'Add --images test.arrow.');
  }
  if (!embeddings && !images) {
    argError(
      'Nothing to evaluate: give --embeddings, or --images (with --model, or alone for the raw-pixel baseline).',
      'tripletkit eval --embeddings embeddings.arrow [--reference reference.arrow]',
    );
  }
  if (options.reference && !embeddings) {
    argError('--reference goes with --embeddings; with --images use --reference-images.', 'Swap the option.');
  }
  if (options.referenceImages && !images) {
    argError('--reference-images goes with --images; with --embeddings use --reference.', 'Swap the option.');
  }
  // The metric options are checked before any file is read (the metrics check them again, cheaply).
  if (options.fewShot) resolveEpisodeOptions(options.fewShot);
  if (options.verification) {
    const v = options.verification;
    if (v.pairs !== undefined) expectPositiveInteger('pairs', v.pairs);
    if (v.seed !== undefined) expectNonNegativeInteger('seed', v.seed);
    if (v.farTarget !== undefined) expectNumber('farTarget', v.farTarget, { min: 0, max: 1 });
  }
  let q: Side;
  let r: Side | undefined;
  let source: EvaluateResult['source'];
  const refFile = options.reference ?? options.referenceImages;
  if (embeddings) {
    source = 'embeddings';
    // One label map for both files, so string labels with the same name get the same id.
    const labelMap = new Map<string, number>();
    q = await embeddingsSide(embeddings, labelMap, 'embeddings file');
    if (options.reference) r = await embeddingsSide(options.reference, labelMap, 'reference file');
  } else if (model) {
    source = 'model';
    const features = options.features ?? evaluateOptionSpecs.features.default;
    q = await modelSide(model, images as string, options.backend, features);
    // The reference side uses the representation the queries got, so the two are comparable.
    if (options.referenceImages)
      r = await modelSide(model, options.referenceImages, options.backend, q.features ?? 'embedding');
  } else {
    source = 'raw-pixels';
    q = await pixelsSide(images as string);
    if (options.referenceImages) r = await pixelsSide(options.referenceImages);
  }
  if (r && r.dim !== q.dim) {
    throw new TripletkitError(
      'E_DATA',
      `The reference file ${refFile} has ${r.dim}-dimensional rows but ${embeddings ?? images} has ${q.dim}.`,
      {
        hint: source === 'embeddings' ? 'Embed both with the same model.' : 'Load both at the same size and channels.',
      },
    );
  }
  const m = retrievalMetrics(q.embeddings, q.dim, q.labels, {
    distance: options.distance,
    normalize: options.normalize,
    ...(r ? { reference: r.embeddings, referenceLabels: r.labels } : {}),
  });
  const distance = { distance: options.distance, normalize: options.normalize };
  return {
    ...m,
    ...(options.fewShot
      ? { fewShot: fewShotAccuracy(q.embeddings, q.dim, q.labels, { ...options.fewShot, ...distance }) }
      : {}),
    ...(options.verification
      ? { verification: verification(q.embeddings, q.dim, q.labels, { ...options.verification, ...distance }) }
      : {}),
    source,
    queryFile: (embeddings ?? images) as string,
    referenceFile: refFile ?? null,
    dim: q.dim,
    ...(q.features ? { features: q.features } : {}),
    classes: q.classes.length ? q.classes : (r?.classes ?? []),
  };
}
