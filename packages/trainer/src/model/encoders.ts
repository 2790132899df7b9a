/**
 * Built-in encoders, and the projection head added to a user's LayersModel. Every encoder is ONE model whose weights
 * embed anchors, positives and negatives alike (the Siamese property): a batch embeds each distinct image once and the
 * loss gathers A/P/N rows from that.
 */

import * as tfl from '@tensorflow/tfjs-layers';
import { deriveSeed, expectOneOf, expectPositiveInteger, TripletkitError } from '@tripletkit/common';
import { ENCODERS, type EncoderName } from '../train/trainOptionSpecs.ts';
import { L2Normalize } from './l2Normalize.ts';

// The list is declared with train's option specs (no tfjs there, for the CLI's parser).
export { ENCODERS, type EncoderName };

/** Options of {@link buildEncoder}. */
export interface EncoderOptions {
  /** Image shape [height, width, channels]. */
  inputShape: [number, number, number];
  /** Embedding size D (default 64). */
  embeddingDim?: number;
  /** Seed of the weight initialisers: same seed → same initial weights. */
  seed?: number;
}

function initializers(seed: number, layer: number) {
  return {
    kernelInitializer: tfl.initializers.glorotUniform({ seed: deriveSeed(seed, layer) % 2147483647 }),
    biasInitializer: 'zeros' as const,
  };
}

function smallCnn(input: tfl.SymbolicTensor, dim: number, seed: number): tfl.SymbolicTensor {
  let x = tfl.layers
    .conv2d({ filters: 32, kernelSize: 3, padding: 'same', activation: 'relu', ...initializers(seed, 1) })
    .apply(input) as tfl.SymbolicTensor;
  x = tfl.layers.maxPooling2d({ poolSize: 2 }).apply(x) as tfl.SymbolicTensor;
  x = tfl.layers
    .conv2d({ filters: 64, kernelSize: 3, padding: 'same', activation: 'relu', ...initializers(seed, 2) })
    .apply(x) as tfl.SymbolicTensor;
  x = tfl.layers.maxPooling2d({ poolSize: 2 }).apply(x) as tfl.SymbolicTensor;
  x = tfl.layers.flatten().apply(x) as tfl.SymbolicTensor;
  return tfl.layers.dense({ units: dim, ...initializers(seed, 3) }).apply(x) as tfl.SymbolicTensor;
}

/** conv-BN-relu ×2 with an identity (or 1×1 projected) shortcut: a ResNet basic block. */
function residualBlock(x: tfl.SymbolicTensor, filters: number, seed: number, id: number): tfl.SymbolicTensor {
  const conv = (k: number, n: number) =>
    tfl.layers.conv2d({ filters, kernelSize: k, padding: 'same', useBias: false, ...initializers(seed, id * 10 + n) });
  let y = conv(3, 1).apply(x) as tfl.SymbolicTensor;
  y = tfl.layers.batchNormalization().apply(y) as tfl.SymbolicTensor;
  y = tfl.layers.reLU().apply(y) as tfl.SymbolicTensor;
  y = conv(3, 2).apply(y) as tfl.SymbolicTensor;
  y = tfl.layers.batchNormalization().apply(y) as tfl.SymbolicTensor;
  const inChannels = x.shape[x.shape.length - 1];
  let shortcut = x;
  if (inChannels !== filters) {
    shortcut = conv(1, 3).apply(x) as tfl.SymbolicTensor;
    shortcut = tfl.layers.batchNormalization().apply(shortcut) as tfl.SymbolicTensor;
  }
  y = tfl.layers.add().apply([y, shortcut]) as tfl.SymbolicTensor;
  return tfl.layers.reLU().apply(y) as tfl.SymbolicTensor;
}

function resnetSmall(input: tfl.SymbolicTensor, dim: number, seed: number): tfl.SymbolicTensor {
  let x = residualBlock(input, 32, seed, 1);
  x = tfl.layers.maxPooling2d({ poolSize: 2 }).apply(x) as tfl.SymbolicTensor;
  x = residualBlock(x, 64, seed, 2);
  x = tfl.layers.maxPooling2d({ poolSize: 2 }).apply(x) as tfl.SymbolicTensor;
  x = residualBlock(x, 128, seed, 3);
  x = tfl.layers.globalAveragePooling2d({}).apply(x) as tfl.SymbolicTensor;
  return tfl.layers.dense({ units: dim, ...initializers(seed, 99) }).apply(x) as tfl.SymbolicTensor;
}

/**
 * Builds a built-in encoder ending in an L2-normalised D-dimensional embedding.
 *
 * - `small-cnn`: conv3×3·32 relu → maxpool2 → conv3×3·64 relu → maxpool2 → flatten → dense D.
 * - `resnet-small`: three residual blocks (32, 64, 128 filters, batch norm) with max-pooling, global average pool,
 *   dense D. Stronger on textures and larger images; ~4× the compute of small-cnn.
 *
 * @example
 * const model = buildEncoder('small-cnn', { inputShape: [28, 28, 1], embeddingDim: 64, seed: 0 });
 */
export function buildEncoder(name: EncoderName, options: EncoderOptions): tfl.LayersModel {
  expectOneOf('encoder', name, ENCODERS);
  const dim = expectPositiveInteger('embeddingDim', options.embeddingDim ?? 64);
  const seed = options.seed ?? 0;
  const input = tfl.input({ shape: options.inputShape, name: 'image' });
  const features = name === 'small-cnn' ? smallCnn(input, dim, seed) : resnetSmall(input, dim, seed);
  const output = new L2Normalize({ name: 'l2_normalize' }).apply(features) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: output, name: `tripletkit_${name.replace('-', '_')}` });
}

/**
 * A user's LayersModel as an encoder: its (first) output (before its L2Normalize, if it has one), flattened, → dense D (the projection head) → L2Normalize.
 * The base keeps its weights and is trained with the head.
 *
 * @example
 * const encoder = withProjectionHead(await loadModel('backbone/'), { embeddingDim: 64 });
 */
export function withProjectionHead(
  base: tfl.LayersModel,
  options: { embeddingDim?: number; seed?: number },
): tfl.LayersModel {
  const dim = expectPositiveInteger('embeddingDim', options.embeddingDim ?? 64);
  if (base.inputs.length !== 1) {
    throw new TripletkitError(
      'E_MODEL',
      `The model has ${base.inputs.length} inputs; an encoder needs exactly one image input.`,
      {
        hint: 'Export a model that takes one [height, width, channels] image tensor.',
      },
    );
  }
  const shape = base.inputs[0].shape;
  if (shape.length !== 4) {
    throw new TripletkitError(
      'E_MODEL',
      `The model's input has shape [${shape.join(', ')}]; an encoder needs [batch, height, width, channels].`,
      {
        hint: 'Use a convolutional model with a channels-last image input.',
      },
    );
  }
  let x = base.outputs[0];
  // A tripletkit model as the base: project its features, not its normalised output.
  const last = base.layers[base.layers.length - 1];
  if (last instanceof L2Normalize) x = last.input as tfl.SymbolicTensor;
  if (x.shape.length > 2) x = tfl.layers.flatten().apply(x) as tfl.SymbolicTensor;
  const seed = options.seed ?? 0;
  x = tfl.layers.dense({ units: dim, name: 'projection', ...initializers(seed, 1000) }).apply(x) as tfl.SymbolicTensor;
  const output = new L2Normalize({ name: 'projection_l2_normalize' }).apply(x) as tfl.SymbolicTensor;
  return tfl.model({ inputs: base.inputs, outputs: output, name: 'tripletkit_custom' });
}

/** The [height, width, channels] a model expects. */
export function modelInputShape(model: tfl.LayersModel): [number | null, number | null, number | null] {
  const s = model.inputs[0].shape;
  return [s[1], s[2], s[3]];
}
