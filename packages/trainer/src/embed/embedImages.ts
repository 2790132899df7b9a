/**
 * `embedImages()`: what `tripletkit embed` calls. Streams an images file through a model, batch by batch, into an
 * embeddings file (embedding FixedSizeList<Float32>[D], label Int32, path Utf8; docs/formats.md), atomically.
 */

import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import {
  type ArrowFormat,
  createProgress,
  expectPositiveInteger,
  type ProgressOption,
  type RecordBatch,
  TripletkitError,
  writeArrow,
} from '@tripletkit/common';
import { embeddingsMetadata, embeddingsSchema, listBatch } from '@tripletkit/common/formats';
import { openImages } from '@tripletkit/loader';
import { loadNativeGemm } from '../backend/nativeGemm.ts';
import { type BackendChoice, selectBackend } from '../backend/selectBackend.ts';
import { type Normalization, pixelsToTensor } from '../data/pixels.ts';
import { backboneModel } from '../model/backboneModel.ts';
import { modelInputShape } from '../model/encoders.ts';
import { loadModel, type ModelMetadata } from '../model/modelIO.ts';
import { embedImagesOptionSpecs } from './embedImagesOptionSpecs.ts';

/** The tfjs backend, plus the native convolution kernels' ISA when they run under wasm (e.g. `wasm+native-avx512`). */
function kernelName(backend: string): string {
  const gemm = backend === 'wasm' ? loadNativeGemm().addon : undefined;
  return gemm ? `${backend}+native-${gemm.info().isa}` : backend;
}

/** Options of {@link embedImages}. */
export interface EmbedImagesOptions {
  /** Images per forward pass (default 256); memory stays O(batchSize). */
  batchSize?: number;
  /** Progress on stderr (true, default), none (false), or a callback. */
  progress?: ProgressOption;
  format?: ArrowFormat;
  backend?: BackendChoice;
  /** Pixel normalisation when the model carries none (default x/255). */
  normalization?: Normalization;
  /** `backbone`: the features before the projection head (see backboneModel), for classes never trained on. */
  features?: 'embedding' | 'backbone';
  log?: (line: string) => void;
  /**
   * Embed only shard `index` of `count`: whole batches of `batchSize` rows, contiguous, so every row goes through
   * the same batch as in a single run and the parts (read as one dataset) equal its output row for row.
   */
  shard?: { index: number; count: number };
}

/** Result of {@link embedImages}. */
export interface EmbedImagesResult {
  output: string;
  rows: number;
  dim: number;
  backend: string;
}

/**
 * Embeds every image of `imagesPath` with `model` (a model directory, a training run's output directory, or a loaded
 * LayersModel) and writes `output`.
 *
 * @example
 * await embedImages('runs/mnist', 'test.arrow', 'test-emb.arrow');
 */
export async function embedImages(
  model: string | tfl.LayersModel,
  imagesPath: string,
  output: string,
  options: EmbedImagesOptions = {},
): Promise<EmbedImagesResult> {
  const batchSize = expectPositiveInteger('batchSize', options.batchSize ?? embedImagesOptionSpecs.batchSize.default);
  const backend = await selectBackend(options.backend);
  options.log?.(`backend: ${backend.description}`);
  let metadata: ModelMetadata | undefined;
  let m: tfl.LayersModel;
  if (typeof model === 'string') {
    const loaded = await loadModel(model);
    m = loaded.model;
    metadata = loaded.metadata;
  } else {
    m = model;
  }
  if (options.features === 'backbone') m = backboneModel(m);
  const images = await openImages(imagesPath);
  try {
    const shape: [number, number, number] = [images.height, images.width, images.channels];
    const [h, w, c] = modelInputShape(m);
    if ((h !== null && h !== shape[0]) || (w !== null && w !== shape[1]) || (c !== null && c !== shape[2])) {
      throw new TripletkitError(
        'E_MODEL',
        `The model takes ${h}×${w}×${c} images but ${imagesPath} holds ${shape.join('×')}.`,
        { hint: `Reload the images at the model's size (tripletkit load --size ${h} --channels ${c}).` },
      );
    }
    const outShape = m.outputs[0].shape;
    if (outShape.length !== 2 || !outShape[1]) {
      throw new TripletkitError('E_MODEL', `The model's output has shape [${outShape.join(', ')}], not [batch, D].`, {
        hint: 'Use a model that ends in a vector per image (tripletkit train writes one).',
      });
    }
    const dim = outShape[1];
    const norm = options.normalization ?? metadata?.normalization ?? { mean: [0], std: [1] };
    const normalization: Normalization = {
      mean: norm.mean.length === 1 ? Array(shape[2]).fill(norm.mean[0]) : norm.mean,
      std: norm.std.length === 1 ? Array(shape[2]).fill(norm.std[0]) : norm.std,
    };
    // Kernels round differently: the metadata records which computed these numbers.
    const schema = embeddingsSchema(
      dim,
      embeddingsMetadata({ file: imagesPath, rows: images.numRows }, kernelName(backend.name)),
    );
    // Global batches [k·batchSize, (k+1)·batchSize): a shard takes a contiguous run of them.
    const nBatches = Math.ceil(images.numRows / batchSize);
    const [k0, k1] = options.shard
      ? [
          Math.floor((options.shard.index * nBatches) / options.shard.count),
          Math.floor(((options.shard.index + 1) * nBatches) / options.shard.count),
        ]
      : [0, nBatches];
    const first = k0 * batchSize;
    const last = Math.min(images.numRows, k1 * batchSize);
    const bar = createProgress({ label: 'embed', total: last - first, unit: 'images', progress: options.progress });
    const paths = (await images.paths()).slice(first, last);
    async function* produce(): AsyncGenerator<RecordBatch> {
      for (let s = first; s < last; s += batchSize) {
        const n = Math.min(batchSize, last - s);
        // Rows read straight from the file (no copy of the whole images file in memory).
        const b = await images.readRows(Array.from({ length: n }, (_, i) => s + i));
        const e = tf.tidy(() => m.predict(pixelsToTensor(b.pixels, n, shape, normalization))) as tf.Tensor;
        const values = e.dataSync() as Float32Array;
        e.dispose();
        for (let i = 0; i < values.length; i++) {
          if (!Number.isFinite(values[i])) {
            throw new TripletkitError(
              'E_DATA',
              `The model produced a non-finite embedding for row ${s + Math.floor(i / dim)} of ${imagesPath}.`,
              { hint: 'The model weights may have diverged; retrain or use an earlier checkpoint.' },
            );
          }
        }
        yield listBatch(schema, values, b.labels, paths.slice(s - first, s - first + n));
        bar.tick(n);
      }
    }
    const written = await writeArrow(output, schema, produce(), { format: options.format });
    bar.finish();
    return { output, rows: written.rows, dim, backend: backend.name };
  } finally {
    await images.close();
  }
}
