/**
 * Streaming, atomic Arrow IPC writing: record batches are written as they come (bounded memory) to a temporary name
 * that is renamed onto the target only when the writer has finished and the file reads back with the promised rows.
 */
import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { RecordBatch, RecordBatchFileWriter, RecordBatchStreamWriter, type Schema } from 'apache-arrow';
import { writeAtomic } from './atomic.ts';
import { TripletkitError } from './errors.ts';
import { verifyArrow } from './verifyArrow.ts';

/** Arrow IPC flavour: `file` (random access, the default) or `stream` (what Hugging Face `datasets` reads). */
export type ArrowFormat = 'file' | 'stream';

/** Result of {@link writeArrow}. */
export interface WriteArrowResult {
  rows: number;
  batches: number;
}

function foreignBatch(target: string): TripletkitError {
  return new TripletkitError('E_ARG', `A record batch for ${target} was not built by @tripletkit/common.`, {
    hint: 'Build schemas and batches with the helpers @tripletkit/common exports (schemaOf, recordBatch, ...).',
  });
}

/**
 * Writes `batches` (all sharing `schema`) to `target` atomically.
 *
 * @example
 * await writeArrow('triplets.arrow', schema, generateBatches(), { format: 'file' });
 */
export async function writeArrow(
  target: string,
  schema: Schema,
  batches: AsyncIterable<RecordBatch> | Iterable<RecordBatch>,
  options: { format?: ArrowFormat } = {},
): Promise<WriteArrowResult> {
  return writeAtomic(target, async (tmp) => {
    const writer = options.format === 'stream' ? new RecordBatchStreamWriter() : new RecordBatchFileWriter();
    const out = createWriteStream(tmp);
    // Start piping before the first write so batches flow to disk instead of accumulating in the writer.
    const piped = writer.toNodeStream().pipe(out);
    const done = finished(piped);
    // Surface write errors (disk full, ...) even while we are still producing batches.
    let failure: unknown;
    out.on('error', (e) => {
      failure = e;
    });
    writer.reset(undefined, schema);
    let rows = 0;
    let count = 0;
    try {
      for await (const b of batches) {
        if (failure) throw failure;
        // apache-arrow's writer silently skips a batch made by another apache-arrow copy (it tests instanceof).
        if (!(b instanceof RecordBatch)) throw foreignBatch(target);
        writer.write(b);
        rows += b.numRows;
        count++;
        // Respect backpressure: wait while the file stream's buffer is full.
        if (out.writableNeedDrain) await new Promise<void>((r) => out.once('drain', () => r()));
      }
    } catch (err) {
      // Close the writer normally (abort() leaves a dangling rejected read); writeAtomic deletes the temp file.
      writer.finish();
      await done.catch(() => undefined);
      throw err;
    }
    writer.finish();
    await done;
    if (failure) throw failure;
    await verifyArrow(tmp, target, { format: options.format ?? 'file', rows, batches: count });
    return { rows, batches: count };
  });
}
