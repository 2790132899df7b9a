/**
 * The engine behind {@link loadImages} and {@link writeImages}: resolves the source and options, then streams record
 * batches in input order while a decode pool works ahead by a bounded number of chunks (flat memory, any dataset
 * size). Failed images are dropped from the output and reported; with `strict` the first one ends the run.
 */

import type { RecordBatch, Schema } from '@tripletkit/common';
import { invalidArgument, TripletkitError } from '@tripletkit/common';
import { IMAGES_META, imagesSchema, listBatch } from '@tripletkit/common/formats';
import type { DecodeInput } from '../decode/decodeOptions.ts';
import { createDecodePool } from '../pool/createDecodePool.ts';
import type { ResolvedSource } from '../sources/imageItem.ts';
import { resolveSource } from '../sources/resolveSource.ts';
import type { BadFile, ImageSource, LoadOptions } from '../types.ts';
import { type ResolvedOptions, resolveOptions } from './resolveOptions.ts';

/** Counters filled in while the batches are consumed. */
export interface LoadStats {
  rows: number;
  batches: number;
  badFiles: BadFile[];
  classCounts: number[];
  started: number;
  finished: number;
}

/** A started load: its schema (known before the first batch) and the batches to consume once. */
export interface StartedLoad {
  source: ResolvedSource;
  options: ResolvedOptions;
  schema: Schema;
  stats: LoadStats;
  batches: AsyncGenerator<RecordBatch>;
}

/** Images per decoding worker below which the default concurrency starts no extra worker. */
const WORKER_MIN_IMAGES = 256;

/** Images per chunk sent to a worker: ~1 MiB of output, and enough chunks to keep every worker busy. */
function chunkSize(rowBytes: number, total: number, threads: number): number {
  const bySize = Math.max(4, Math.min(256, Math.floor((1024 * 1024) / rowBytes)));
  return Math.max(1, Math.min(bySize, Math.ceil(total / (threads * 4))));
}

function badFileError(bad: BadFile): TripletkitError {
  return new TripletkitError(
    'E_IMAGE',
    `The ${bad.index < 0 ? 'folder entry' : 'image'} ${bad.path} cannot be used (${bad.reason}): ${bad.message}.`,
    {
      hint: 'Remove or replace it, or run without --strict to skip bad files and list them (--errors errors.jsonl).',
    },
  );
}

async function* produce(started: Omit<StartedLoad, 'batches'>, opts: LoadOptions): AsyncGenerator<RecordBatch> {
  const { source: src, options: o, schema, stats } = started;
  const rowBytes = o.width * o.height * o.channels;
  const total = src.items.length;
  // A worker costs ~0.1 s to start (~1 s from TypeScript sources): by default, small jobs decode in this thread.
  // An explicit concurrency is honoured (up to one worker per image).
  const wanted = o.concurrencyExplicit ? total : Math.ceil(total / WORKER_MIN_IMAGES);
  const pool = createDecodePool(o, Math.min(o.concurrency, Math.max(1, wanted)));
  const chunk = chunkSize(rowBytes, total, pool.threads);
  const inflight: { from: number; to: number; result: ReturnType<typeof pool.decode> }[] = [];
  const depth = pool.threads * 3;
  let nextChunk = 0;
  const submit = () => {
    const from = nextChunk;
    const to = Math.min(total, from + chunk);
    nextChunk = to;
    const inputs: DecodeInput[] = [];
    for (let i = from; i < to; i++) {
      if (src.raw) {
        const n = src.raw.width * src.raw.height * src.raw.channels;
        // slice(): a view would make postMessage copy the whole IDX buffer.
        inputs.push({ raw: src.raw.pixels.slice(i * n, (i + 1) * n), ...dims(src) });
      } else inputs.push({ file: src.items[i].file! });
    }
    const result = pool.decode(inputs);
    result.catch(() => undefined); // awaited in order below; avoid an unhandled rejection meanwhile
    inflight.push({ from, to, result });
  };
  // Uninitialised (not zero-filled): every byte of a batch is written before the batch is used.
  const newPixels = () =>
    new Uint8Array(Buffer.allocUnsafeSlow(o.batchRows * rowBytes).buffer, 0, o.batchRows * rowBytes);
  let pixels = newPixels();
  let labels = new Int32Array(o.batchRows);
  let paths: string[] = [];
  let fill = 0;
  const flush = (): RecordBatch => {
    const px = fill === o.batchRows ? pixels : pixels.subarray(0, fill * rowBytes);
    const lb = fill === o.batchRows ? labels : labels.slice(0, fill);
    const batch = listBatch(schema, px, lb, paths);
    // Fresh buffers: the consumer may still hold the batch we just gave out.
    pixels = newPixels();
    labels = new Int32Array(o.batchRows);
    paths = [];
    fill = 0;
    stats.rows += batch.numRows;
    stats.batches++;
    return batch;
  };
  let done = 0;
  try {
    while (nextChunk < total && inflight.length < depth) submit();
    while (inflight.length) {
      if (opts.signal?.aborted) {
        throw new TripletkitError('E_INTERRUPTED', 'Loading was interrupted; no output was written.', {
          hint: 'Run the command again.',
        });
      }
      const head = inflight.shift()!;
      const r = await head.result;
      if (nextChunk < total) submit();
      for (let i = head.from; i < head.to; i++) {
        const k = i - head.from;
        const failure = r.failures[k];
        const item = src.items[i];
        if (failure) {
          const bad: BadFile = { index: i, path: item.path, reason: failure.reason, message: failure.message };
          if (o.strict) throw badFileError(bad);
          stats.badFiles.push(bad);
          opts.onBadFile?.(bad);
          continue;
        }
        pixels.set(r.pixels.subarray(k * rowBytes, (k + 1) * rowBytes), fill * rowBytes);
        labels[fill] = item.label;
        paths.push(item.path);
        stats.classCounts[item.label]++;
        fill++;
        if (fill === o.batchRows) {
          yield flush();
          // Let I/O run: decoding in this thread (concurrency 1) only awaits resolved promises, so without a
          // macrotask turn the writer's pipe would never drain and written batches would pile up in memory.
          await new Promise((resolve) => setImmediate(resolve));
        }
      }
      pool.release(r.pixels);
      done = head.to;
      opts.onProgress?.(done, total);
    }
    if (fill > 0) yield flush();
    if (stats.rows === 0) {
      throw new TripletkitError('E_EMPTY', `None of the ${total} images could be decoded; no output was written.`, {
        hint: 'See the bad-file list (--errors errors.jsonl) for the reasons.',
      });
    }
    stats.finished = performance.now();
  } finally {
    await pool.close();
  }
}

function dims(src: ResolvedSource): { width: number; height: number; channels: number } {
  return { width: src.raw!.width, height: src.raw!.height, channels: src.raw!.channels };
}

/** Items [⌊i·N/n⌋, ⌊(i+1)·N/n⌋) of the input (the miner's shardRange rule), classes unchanged. */
function shardOf(src: ResolvedSource, index: number, count: number): ResolvedSource {
  if (!(Number.isInteger(count) && count >= 1 && Number.isInteger(index) && index >= 0 && index < count)) {
    invalidArgument('shard', `index 0 ≤ i < count`, `${index}/${count}`);
  }
  const n = src.items.length;
  const from = Math.floor((index * n) / count);
  const to = Math.floor(((index + 1) * n) / count);
  const raw = src.raw;
  const px = raw ? raw.width * raw.height * raw.channels : 0;
  return {
    ...src,
    items: src.items.slice(from, to),
    raw: raw ? { ...raw, pixels: raw.pixels.subarray(from * px, to * px) } : undefined,
  };
}

/**
 * @example
 * const load = await startLoad({ folder: 'data' }, { size: 64 });
 * for await (const b of load.batches) console.log(b.numRows);
 */
export async function startLoad(source: ImageSource, opts: LoadOptions): Promise<StartedLoad> {
  const started = performance.now();
  const whole = await resolveSource(source);
  // Options (the inferred size included) come from the whole input, so every shard decides them alike.
  const options = await resolveOptions(opts ?? {}, whole);
  const src = opts?.shard ? shardOf(whole, opts.shard.index, opts.shard.count) : whole;
  const schema = imagesSchema({
    height: options.height,
    width: options.width,
    channels: options.channels,
    classes: src.classes,
    extra: {
      [IMAGES_META.fit]: options.fit,
      [IMAGES_META.kernel]: options.kernel,
      [IMAGES_META.batchRows]: String(options.batchRows),
    },
  });
  const stats: LoadStats = {
    rows: 0,
    batches: 0,
    badFiles: [],
    classCounts: new Array(src.classes.length).fill(0),
    started,
    finished: 0,
  };
  // Folder entries the walk would not follow (loops, dangling links, ...) are reported with the bad files.
  for (const s of src.skipped ?? []) {
    if (options.strict) throw badFileError(s);
    stats.badFiles.push(s);
    opts?.onBadFile?.(s);
  }
  const base = { source: src, options, schema, stats };
  return { ...base, batches: produce(base, opts ?? {}) };
}
