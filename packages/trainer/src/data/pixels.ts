/**
 * Pixel handling owned by the trainer: uint8 → float (x/255, then per-channel (x − mean)/std), and the optional
 * on-the-fly augmentation (random crop with zero padding, horizontal flip), seeded per batch.
 */

import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@tripletkit/common';

/** Per-channel normalisation applied after scaling to [0, 1]. Default mean 0, std 1 (just /255). */
export interface Normalization {
  mean: number[];
  std: number[];
}

/** Augmentation options; all off by default (digits must not be flipped). */
export interface Augmentation {
  /** Random translation by up to this many pixels (crop of the zero-padded image), 0 = off. */
  cropPadding?: number;
  /** Mirror left-right with probability 1/2. */
  flip?: boolean;
}

/**
 * Rows of uint8 HWC pixels → a float32 [rows, H, W, C] tensor.
 *
 * @example
 * const x = pixelsToTensor(pixels, 128, [28, 28, 1], { mean: [0], std: [1] });
 */
export function pixelsToTensor(
  pixels: Uint8Array,
  rows: number,
  shape: [number, number, number],
  norm: Normalization,
): tf.Tensor4D {
  const [h, w, c] = shape;
  const out = new Float32Array(rows * h * w * c);
  if (c === 1 && norm.mean[0] === 0 && norm.std[0] === 1) {
    for (let i = 0; i < out.length; i++) out[i] = pixels[i] / 255;
  } else {
    const scale = norm.std.map((s) => 1 / (255 * s));
    const shift = norm.mean.map((m, i) => m / norm.std[i]);
    for (let i = 0, ch = 0; i < out.length; i++) {
      out[i] = pixels[i] * scale[ch] - shift[ch];
      ch = ch + 1 === c ? 0 : ch + 1;
    }
  }
  return tf.tensor4d(out, [rows, h, w, c]);
}

/**
 * Augments rows of uint8 HWC pixels in place, deterministically for a given seed.
 *
 * @example
 * augmentPixels(batch, 128, [32, 32, 3], { cropPadding: 4, flip: true }, deriveSeed(seed, epoch, step));
 */
export function augmentPixels(
  pixels: Uint8Array,
  rows: number,
  shape: [number, number, number],
  options: Augmentation,
  seed: number,
): void {
  const pad = options.cropPadding ?? 0;
  if (!pad && !options.flip) return;
  const [h, w, c] = shape;
  const size = h * w * c;
  const rng = new Rng(seed);
  const src = new Uint8Array(size);
  for (let r = 0; r < rows; r++) {
    const img = pixels.subarray(r * size, (r + 1) * size);
    src.set(img);
    const dy = pad ? rng.int(2 * pad + 1) - pad : 0;
    const dx = pad ? rng.int(2 * pad + 1) - pad : 0;
    const flip = options.flip ? rng.int(2) === 1 : false;
    for (let y = 0; y < h; y++) {
      const sy = y + dy;
      for (let x = 0; x < w; x++) {
        const sx0 = flip ? w - 1 - x : x;
        const sx = sx0 + dx;
        const o = (y * w + x) * c;
        if (sy < 0 || sy >= h || sx < 0 || sx >= w) {
          for (let k = 0; k < c; k++) img[o + k] = 0;
        } else {
          const s = (sy * w + sx) * c;
          for (let k = 0; k < c; k++) img[o + k] = src[s + k];
        }
      }
    }
  }
}
