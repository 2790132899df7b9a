/**
 * Images → an Arrow IPC images file, written to a temporary name and renamed when complete (an interrupted or failed
 * run leaves no file, and an existing good file stays until the new one is whole).
 */
import fs from 'node:fs/promises';
import { type ArrowFormat, checkOutput, expectOneOf, writeArrow, writeAtomic } from '@tripletkit/common';
import type { ImageSource, LoadOptions, LoadSummary } from '../types.ts';
import { FORMATS } from './loadOptionSpecs.ts';
import { checkLoadOptions } from './resolveOptions.ts';
import { startLoad } from './startLoad.ts';

/** Options of {@link writeImages}: {@link LoadOptions} plus the output format and the bad-file report. */
export interface WriteImagesOptions extends LoadOptions {
  /** `file` (default; random access) or `stream` (what Hugging Face `datasets` reads). */
  format?: ArrowFormat;
  /** Write every bad file as one JSON line ({index, path, reason, message}) to this path. */
  errorsPath?: string;
}

/**
 * @example
 * const summary = await writeImages('images.arrow', { folder: 'data/train' }, { size: 28, channels: 1 });
 * console.log(summary.rows, summary.skipped);
 */
export async function writeImages(
  target: string,
  source: ImageSource,
  options: WriteImagesOptions = {},
): Promise<LoadSummary> {
  // Every option checked before any input is listed or read.
  checkLoadOptions(options);
  const format = expectOneOf('format', options.format ?? 'file', FORMATS);
  // Before decoding anything: an output that cannot be written should fail in a second, not after the whole run.
  await checkOutput(target, 'output file');
  if (options.errorsPath) await checkOutput(options.errorsPath, '--errors file');
  const load = await startLoad(source, options);
  const written = await writeArrow(target, load.schema, load.batches, { format });
  const { stats, options: o, source: src } = load;
  if (options.errorsPath) {
    const lines = stats.badFiles.map((b) => `${JSON.stringify(b)}\n`).join('');
    await writeAtomic(options.errorsPath, (tmp) => fs.writeFile(tmp, lines));
  }
  const seconds = ((stats.finished || performance.now()) - stats.started) / 1000;
  return {
    output: target,
    format,
    total: src.items.length,
    rows: written.rows,
    skipped: stats.badFiles.length,
    ignored: src.ignored,
    batches: written.batches,
    height: o.height,
    width: o.width,
    channels: o.channels,
    ...(o.sizeRule ? { sizeRule: o.sizeRule } : {}),
    classes: src.classes,
    classCounts: stats.classCounts,
    badFiles: stats.badFiles,
    ...(options.errorsPath ? { errorsPath: options.errorsPath } : {}),
    seconds,
    imagesPerSecond: src.items.length / Math.max(seconds, 1e-9),
  };
}
