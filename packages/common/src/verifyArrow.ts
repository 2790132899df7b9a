/**
 * Reads back an Arrow IPC file a writer has just closed and checks it holds what was promised, before it is renamed
 * into place: every message is walked (headers only, no bodies), the row and batch counts must match, a stream must
 * end with its end-of-stream marker and a file must reopen through its footer. Any difference is an error, so a short
 * or silently dropped write can never be reported as success.
 */
import fs from 'node:fs/promises';
import { type AsyncRecordBatchFileReader, Message, MessageHeader, RecordBatchReader } from 'apache-arrow';
import { TripletkitError } from './errors.ts';

/** What a writer promised to have written. */
export interface ArrowPromise {
  format: 'file' | 'stream';
  rows: number;
  batches: number;
}

function writeError(target: string, detail: string): TripletkitError {
  return new TripletkitError('E_WRITE', `Writing ${target} failed: ${detail}; no file was written.`, {
    hint: 'Check the disk (space, quota, a network filesystem that drops writes) and run the command again.',
  });
}

/** Walks the encapsulated messages in [start, end): record batch rows and count, and whether an EOS marker ended it. */
async function walkMessages(fh: fs.FileHandle, start: number, end: number) {
  const prefix = Buffer.alloc(8);
  let pos = start;
  let rows = 0;
  let batches = 0;
  let eos = false;
  while (pos + 8 <= end) {
    await fh.read(prefix, 0, 8, pos);
    let metaLen = prefix.readInt32LE(0);
    let headerLen = 4;
    if (metaLen === -1) {
      metaLen = prefix.readInt32LE(4);
      headerLen = 8;
    }
    if (metaLen === 0) {
      eos = true;
      pos += headerLen;
      break;
    }
    if (metaLen < 0 || pos + headerLen + metaLen > end) throw new Error(`a message header at byte ${pos} is cut off`);
    const meta = Buffer.alloc(metaLen);
    await fh.read(meta, 0, metaLen, pos + headerLen);
    const msg = Message.decode(meta);
    if (msg.headerType === MessageHeader.RecordBatch) {
      rows += (msg as Message<MessageHeader.RecordBatch>).header().length;
      batches++;
    }
    pos += headerLen + metaLen + Number(msg.bodyLength);
    if (pos > end) throw new Error(`the body of a message at byte ${pos} is cut off`);
  }
  return { rows, batches, eos, pos };
}

/**
 * Throws a `E_WRITE` {@link TripletkitError} unless `file` (written for `target`) is a complete Arrow IPC file or
 * stream with exactly the promised rows and batches.
 *
 * @example
 * await verifyArrow(tmp, 'out.arrow', { format: 'file', rows: 1000, batches: 1 });
 */
export async function verifyArrow(file: string, target: string, promised: ArrowPromise): Promise<void> {
  const fh = await fs.open(file, 'r');
  try {
    const size = (await fh.stat()).size;
    let start = 0;
    let end = size;
    if (promised.format === 'file') {
      const tail = Buffer.alloc(10);
      if (size < 18) throw writeError(target, `the file is ${size} bytes, too short for an Arrow file`);
      await fh.read(tail, 0, 10, size - 10);
      if (tail.subarray(4).toString('latin1') !== 'ARROW1') throw writeError(target, 'the Arrow footer is missing');
      start = 8;
      end = size - 10 - tail.readInt32LE(0);
      if (end < start) throw writeError(target, 'the Arrow footer length is invalid');
    }
    let walked: Awaited<ReturnType<typeof walkMessages>>;
    try {
      walked = await walkMessages(fh, start, end);
    } catch (err) {
      throw writeError(target, (err as Error).message);
    }
    if (promised.format === 'stream' && (!walked.eos || walked.pos !== end)) {
      throw writeError(target, 'the stream does not end with its end-of-stream marker');
    }
    if (walked.rows !== promised.rows || walked.batches !== promised.batches) {
      throw writeError(
        target,
        `${walked.rows} rows in ${walked.batches} batches reached the file, but ${promised.rows} rows in ${promised.batches} batches were written`,
      );
    }
    if (promised.format === 'file') {
      try {
        const reader = (await RecordBatchReader.from(fh)) as AsyncRecordBatchFileReader;
        await reader.open({ autoDestroy: false });
        if (!reader.isFile() || reader.numRecordBatches !== promised.batches) throw new Error('footer mismatch');
      } catch {
        throw writeError(target, 'the file does not reopen through its footer');
      }
    }
  } finally {
    await fh.close().catch(() => undefined);
  }
}
