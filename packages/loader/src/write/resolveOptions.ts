/**
 * Validates {@link LoadOptions} once, at the public boundary, and fills in the defaults. Output size when none is
 * given: the median width and height of up to 32 images spread over the whole input, the longer side capped at 1024
 * — so one huge image (the first, or any) never decides it.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import {
  expectBoolean,
  expectOneOf,
  expectPositiveInteger,
  invalidArgument,
  TripletkitError,
} from '@tripletkit/common';
import type { DecodeOptions } from '../decode/decodeOptions.ts';
import { loadSharp } from '../decode/loadSharp.ts';
import type { ResolvedSource } from '../sources/imageItem.ts';
import type { LoadOptions } from '../types.ts';
import { DEFAULT_LIMIT_INPUT_PIXELS, FAIL_ON, FITS, KERNELS, MAX_SIDE } from './loadOptionSpecs.ts';

/** Everything a run needs, resolved. */
export interface ResolvedOptions extends DecodeOptions {
  batchRows: number;
  concurrency: number;
  /** True when the caller chose `concurrency` (then it is honoured even for small jobs). */
  concurrencyExplicit: boolean;
  strict: boolean;
  /** How the output size was chosen when none was given (for the summary), e.g. "median of 32 images". */
  sizeRule?: string;
}

/** Longer side of the default output size at most this (pass --size for larger). */
export const DEFAULT_MAX_SIDE = 1024;
/** Images whose size is read to choose the default output size. */
const PROBE_IMAGES = 32;
/** apache-arrow cannot write one array over 2^31 − 1 bytes: keep a batch's pixels to 1 GiB. */
const MAX_BATCH_BYTES = 2 ** 30;

function expectSide(name: string, value: unknown): number {
  const v = expectPositiveInteger(name, value);
  if (v > MAX_SIDE) invalidArgument(name, `an integer from 1 to ${MAX_SIDE} (the largest image side)`, value);
  return v;
}

/**
 * Default rows per batch: as many as fit in 32 MiB of pixels, between 16 and 1024.
 *
 * @example
 * defaultBatchRows(224 * 224 * 3); // 222
 */
export function defaultBatchRows(rowBytes: number): number {
  return Math.max(16, Math.min(1024, Math.floor((32 * 1024 * 1024) / rowBytes)));
}

const median = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)];
};

async function probeSize(src: ResolvedSource): Promise<{ width: number; height: number; rule: string }> {
  if (src.raw) return { width: src.raw.width, height: src.raw.height, rule: 'the IDX file’s size' };
  const n = src.items.length;
  const picks = [
    ...new Set(
      Array.from({ length: Math.min(PROBE_IMAGES, n) }, (_, i) => Math.floor((i * n) / Math.min(PROBE_IMAGES, n))),
    ),
  ];
  const sharp = await loadSharp();
  const sizes = await Promise.all(
    picks.map(async (i) => {
      try {
        const f = src.items[i].file!;
        // A Buffer path (a name that is not UTF-8) would be taken by sharp as image data: read the file first.
        const m = await sharp(typeof f === 'string' ? f : await fs.readFile(f)).metadata();
        if (!m.width || !m.height) return undefined;
        return (m.orientation ?? 1) >= 5 ? { width: m.height, height: m.width } : { width: m.width, height: m.height };
      } catch {
        return undefined; // a bad file: the run reports it
      }
    }),
  );
  const ok = sizes.filter((x) => x !== undefined);
  if (ok.length === 0) {
    throw new TripletkitError(
      'E_ARG',
      'No output size given and none of the sampled images could be read to take it from.',
      {
        hint: 'Pass --size N (or --width and --height).',
      },
    );
  }
  let width = median(ok.map((s) => s.width));
  let height = median(ok.map((s) => s.height));
  let rule = `median size of ${ok.length} sampled image${ok.length > 1 ? 's' : ''}`;
  const longer = Math.max(width, height);
  if (longer > DEFAULT_MAX_SIDE) {
    width = Math.max(1, Math.round((width * DEFAULT_MAX_SIDE) / longer));
    height = Math.max(1, Math.round((height * DEFAULT_MAX_SIDE) / longer));
    rule += `, longer side capped at ${DEFAULT_MAX_SIDE}`;
  }
  return { width, height, rule };
}

function batchRowsFor(given: unknown, rowBytes: number): number {
  const most = Math.max(1, Math.floor(MAX_BATCH_BYTES / rowBytes));
  if (given === undefined) return Math.min(most, defaultBatchRows(rowBytes));
  const v = expectPositiveInteger('batchRows', given);
  if (v > most) invalidArgument('batchRows', `at most ${most} at this image size (1 GiB of pixels per batch)`, v);
  return v;
}

/**
 * Checks every option that needs no input (all but batchRows' upper bound, which depends on the image size), so
 * writeImages can refuse a bad option before it lists or reads anything.
 *
 * @example
 * checkLoadOptions({ size: 28, fit: 'cover' });
 */
export function checkLoadOptions(options: LoadOptions): void {
  if (options === null || typeof options !== 'object') invalidArgument('options', 'an object', options);
  for (const side of ['size', 'width', 'height'] as const)
    if (options[side] !== undefined) expectSide(side, options[side]);
  if (options.channels !== undefined && options.channels !== 1 && options.channels !== 3)
    invalidArgument('channels', '1 or 3', options.channels);
  if (options.fit !== undefined) expectOneOf('fit', options.fit, FITS);
  if (options.kernel !== undefined) expectOneOf('kernel', options.kernel, KERNELS);
  if (options.failOn !== undefined) expectOneOf('failOn', options.failOn, FAIL_ON);
  for (const n of ['limitInputPixels', 'concurrency', 'batchRows'] as const)
    if (options[n] !== undefined) expectPositiveInteger(n, options[n]);
  if (options.strict !== undefined) expectBoolean('strict', options.strict);
}

/**
 * @example
 * const o = await resolveOptions({ size: 28, channels: 1 }, source);
 */
export async function resolveOptions(options: LoadOptions, src: ResolvedSource): Promise<ResolvedOptions> {
  checkLoadOptions(options);
  const size = options.size === undefined ? undefined : expectSide('size', options.size);
  let width = options.width === undefined ? size : expectSide('width', options.width);
  let height = options.height === undefined ? size : expectSide('height', options.height);
  let sizeRule: string | undefined;
  if (width === undefined || height === undefined) {
    const probed = await probeSize(src);
    width ??= probed.width;
    height ??= probed.height;
    sizeRule = probed.rule;
  }
  const channels = options.channels ?? (src.kind === 'idx' ? 1 : 3);
  if (channels !== 1 && channels !== 3) invalidArgument('channels', '1 or 3', channels);
  const rowBytes = width * height * channels;
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return {
    width,
    height,
    channels,
    fit: expectOneOf('fit', options.fit ?? 'cover', FITS),
    kernel: expectOneOf('kernel', options.kernel ?? 'linear', KERNELS),
    failOn: expectOneOf('failOn', options.failOn ?? 'warning', FAIL_ON),
    limitInputPixels:
      options.limitInputPixels === undefined
        ? DEFAULT_LIMIT_INPUT_PIXELS
        : expectPositiveInteger('limitInputPixels', options.limitInputPixels),
    batchRows: batchRowsFor(options.batchRows, rowBytes),
    concurrency:
      options.concurrency === undefined
        ? Math.max(1, cores)
        : expectPositiveInteger('concurrency', options.concurrency),
    concurrencyExplicit: options.concurrency !== undefined,
    strict: options.strict === undefined ? false : expectBoolean('strict', options.strict),
    ...(sizeRule ? { sizeRule } : {}),
  };
}
