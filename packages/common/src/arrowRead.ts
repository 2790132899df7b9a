/**
 * Lazy Arrow IPC reading through a file handle (never the whole file in memory), accepting both the file and the
 * stream format, with errors that say which file is wrong and how.
 */
import fs from 'node:fs/promises';
import {
  type AsyncRecordBatchFileReader,
  type AsyncRecordBatchStreamReader,
  type RecordBatch,
  RecordBatchReader,
  type Schema,
} from 'apache-arrow';
import { validateArrowLayout } from './arrowValidate.ts';
import { fsError, TripletkitError } from './errors.ts';

const FILE_MAGIC = 'ARROW1';

/** An open Arrow IPC file. Close it when done (or iterate it to the end with {@link ArrowSource.batches}). */
export interface ArrowSource {
  readonly path: string;
  readonly format: 'file' | 'stream';
  readonly schema: Schema;
  /** Schema metadata as a plain object. */
  readonly metadata: Record<string, string>;
  /** Number of record batches, known up front for the file format only. */
  readonly numBatches: number | undefined;
  /** Iterate all record batches in order. May be called once for the stream format; any number for the file format. */
  batches(): AsyncGenerator<RecordBatch>;
  /** Random access to batch `i` (file format only). */
  readBatch(i: number): Promise<RecordBatch>;
  close(): Promise<void>;
}

async function sniff(fh: fs.FileHandle, file: string, what: string): Promise<'file' | 'stream'> {
  const head = Buffer.alloc(8);
  const { bytesRead } = await fh.read(head, 0, 8, 0);
  if (bytesRead === 0) {
    throw new TripletkitError('E_EMPTY', `The ${what} ${file} is empty (0 bytes).`, {
      hint: 'Regenerate it; an interrupted writer may have left it.',
    });
  }
  if (head.subarray(0, 6).toString('latin1') === FILE_MAGIC) return 'file';
  // Stream format: an encapsulated message starts with the 0xFFFFFFFF continuation marker (or, pre-0.15, a length).
  if (bytesRead >= 4 && head.readUInt32LE(0) === 0xffffffff) return 'stream';
  throw new TripletkitError('E_NOT_ARROW', `The ${what} ${file} is not an Arrow IPC file (file or stream format).`, {
    hint: 'Write it with tripletkit, pyarrow (pa.ipc.new_file / new_stream), polars (write_ipc) or another Arrow library.',
  });
}

function truncated(file: string, what: string, err: unknown): TripletkitError {
  return new TripletkitError('E_TRUNCATED', `The ${what} ${file} is truncated or corrupt and cannot be read.`, {
    hint: 'Regenerate it; the writer may have been interrupted.',
    cause: err,
  });
}

/**
 * Opens an Arrow IPC file (file or stream format) lazily.
 *
 * @example
 * const src = await openArrow('embeddings.arrow', 'embeddings file');
 * for await (const batch of src.batches()) console.log(batch.numRows);
 */
export async function openArrow(file: string, what = 'Arrow file'): Promise<ArrowSource> {
  let fh: fs.FileHandle;
  try {
    fh = await fs.open(file, 'r');
    const st = await fh.stat();
    if (st.isDirectory()) {
      await fh.close();
      throw Object.assign(new Error('EISDIR'), { code: 'EISDIR' });
    }
  } catch (err) {
    throw fsError(err, file, what);
  }
  let reader: AsyncRecordBatchFileReader | AsyncRecordBatchStreamReader;
  let format: 'file' | 'stream';
  try {
    format = await sniff(fh, file, what);
    // Footer/schema/batch lengths checked against the file size before apache-arrow allocates from them.
    await validateArrowLayout(fh, (await fh.stat()).size, format, file, what);
    reader = (await RecordBatchReader.from(fh)) as AsyncRecordBatchFileReader | AsyncRecordBatchStreamReader;
    await reader.open({ autoDestroy: false });
    if (!reader.schema) throw new Error('no schema');
  } catch (err) {
    await fh.close().catch(() => undefined);
    if (err instanceof TripletkitError) throw err;
    throw truncated(file, what, err);
  }
  const metadata: Record<string, string> = {};
  for (const [k, v] of reader.schema.metadata) metadata[k] = v;
  const isFile = reader.isFile();
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await fh.close().catch(() => undefined);
  };
  return {
    path: file,
    format,
    schema: reader.schema,
    metadata,
    numBatches: isFile ? (reader as AsyncRecordBatchFileReader).numRecordBatches : undefined,
    async *batches() {
      try {
        if (isFile) {
          const fr = reader as AsyncRecordBatchFileReader;
          for (let i = 0; i < fr.numRecordBatches; i++) {
            const b = await fr.readRecordBatch(i);
            if (!b) throw new Error(`batch ${i} missing`);
            yield b;
          }
        } else {
          for await (const b of reader as AsyncRecordBatchStreamReader) yield b;
        }
      } catch (err) {
        if (err instanceof TripletkitError) throw err;
        throw truncated(file, what, err);
      }
    },
    async readBatch(i: number) {
      if (!isFile) {
        throw new TripletkitError('E_ARG', `Random access needs the Arrow file format, but ${file} is a stream.`, {
          hint: 'Rewrite it in the file format (tripletkit writes the file format unless --format stream is given).',
        });
      }
      try {
        const b = await (reader as AsyncRecordBatchFileReader).readRecordBatch(i);
        if (!b) throw new Error(`batch ${i} missing`);
        return b;
      } catch (err) {
        throw truncated(file, what, err);
      }
    },
    close,
  };
}
