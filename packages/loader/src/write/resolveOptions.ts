/**
 * Validates {@link LoadOptions} once, at the public boundary, and fills in the defaults (output size from the first
 * readable image when none is given).
 */
import os from 'node:os';
import {
  expectBoolean,
  expectOneOf,
  expectPositiveInteger,
  invalidArgument,
  TripletkitError,
} from '@tripletkit/common';
import sharp from 'sharp';
import type { DecodeOptions } from '../decode/decodeOptions.ts';
import type { ResolvedSource } from '../sources/imageItem.ts';
import type { LoadOptions } from '../types.ts';

/** Everything a run needs, resolved. */
export interface ResolvedOptions extends DecodeOptions {
  batchRows: number;
  concurrency: number;
  /** True when the caller chose `concurrency` (then it is honoured even for small jobs). */
  concurrencyExplicit: boolean;
  strict: boolean;
}

/** sharp's default `limitInputPixels` (0x3FFF × 0x3FFF). */
export const DEFAULT_LIMIT_INPUT_PIXELS = 268402689;

/**
 * Default rows per batch: as many as fit in 32 MiB of pixels, between 16 and 1024.
 *
 * @example
 * defaultBatchRows(224 * 224 * 3); // 222
 */
export function defaultBatchRows(rowBytes: number): number {
  return Math.max(16, Math.min(1024, Math.floor((32 * 1024 * 1024) / rowBytes)));
}

async function probeSize(src: ResolvedSource): Promise<{ width: number; height: number }> {
  if (src.raw) return { width: src.raw.width, height: src.raw.height };
  for (const it of src.items.slice(0, 1000)) {
    try {
      const m = await sharp(it.file!).metadata();
      if (!m.width || !m.height) continue;
      const swap = (m.orientation ?? 1) >= 5;
      return swap ? { width: m.height, height: m.width } : { width: m.width, height: m.height };
    } catch {
      // A bad file: the run reports it; look at the next one.
    }
  }
  throw new TripletkitError(
    'E_ARG',
    'No output size given and none of the first images could be read to take it from.',
    {
      hint: 'Pass --size N (or --width and --height).',
    },
  );
}

/**
 * @example
 * const o = await resolveOptions({ size: 28, channels: 1 }, source);
 */
export async function resolveOptions(options: LoadOptions, src: ResolvedSource): Promise<ResolvedOptions> {
  if (options === null || typeof options !== 'object') invalidArgument('options', 'an object', options);
  const size = options.size === undefined ? undefined : expectPositiveInteger('size', options.size);
  let width = options.width === undefined ? size : expectPositiveInteger('width', options.width);
  let height = options.height === undefined ? size : expectPositiveInteger('height', options.height);
  if (width === undefined || height === undefined) {
    const probed = await probeSize(src);
    width ??= probed.width;
    height ??= probed.height;
  }
  const channels = options.channels ?? (src.kind === 'idx' ? 1 : 3);
  if (channels !== 1 && channels !== 3) invalidArgument('channels', '1 or 3', channels);
  const rowBytes = width * height * channels;
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return {
    width,
    height,
    channels,
    fit: expectOneOf('fit', options.fit ?? 'cover', ['cover', 'contain', 'fill'] as const),
    kernel: expectOneOf('kernel', options.kernel ?? 'linear', ['nearest', 'linear', 'cubic', 'lanczos3'] as const),
    failOn: expectOneOf('failOn', options.failOn ?? 'warning', ['none', 'truncated', 'error', 'warning'] as const),
    limitInputPixels:
      options.limitInputPixels === undefined
        ? DEFAULT_LIMIT_INPUT_PIXELS
        : expectPositiveInteger('limitInputPixels', options.limitInputPixels),
    batchRows:
      options.batchRows === undefined
        ? defaultBatchRows(rowBytes)
        : expectPositiveInteger('batchRows', options.batchRows),
    concurrency:
      options.concurrency === undefined
        ? Math.max(1, cores)
        : expectPositiveInteger('concurrency', options.concurrency),
    concurrencyExplicit: options.concurrency !== undefined,
    strict: options.strict === undefined ? false : expectBoolean('strict', options.strict),
  };
}
