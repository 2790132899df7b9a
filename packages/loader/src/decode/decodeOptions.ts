import type { FailOn, Fit, Kernel } from '../types.ts';

/** Fully resolved per-image processing options (what workers receive). */
export interface DecodeOptions {
  width: number;
  height: number;
  channels: 1 | 3;
  fit: Fit;
  kernel: Kernel;
  failOn: FailOn;
  limitInputPixels: number;
}

/** One image to decode: a file to read, or raw pixels (IDX). */
export type DecodeInput =
  | { file: string | Uint8Array }
  | { raw: Uint8Array; width: number; height: number; channels: number };

/** The result of decoding a chunk: pixels of every image (a failed one's slot is zero) and per-image failures. */
export interface DecodedChunk {
  pixels: Uint8Array;
  /** null = decoded; otherwise why not. */
  failures: ({ reason: string; message: string } | null)[];
}
