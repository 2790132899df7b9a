/**
 * Indexes an Arrow IPC file (file or stream format) by reading only its message headers: for every record batch,
 * where its body starts and where each buffer lies. That gives random access to single rows of a FixedSizeList
 * column with one small read, instead of loading whole record batches.
 */
import type fs from 'node:fs/promises';
import { ArrowMessage as Message, type MessageHeader } from '@tripletkit/common';

/** Byte layout of one record batch. */
export interface BatchLayout {
  /** First row of the batch in the file. */
  start: number;
  rows: number;
  /** Absolute file offset of the body. */
  bodyOffset: number;
  /** Buffers (offset relative to the body, length), in schema order. */
  buffers: { offset: number; length: number }[];
  /** Null counts per field node, in schema order. */
  nullCounts: number[];
  compressed: boolean;
}

async function readExactly(fh: fs.FileHandle, pos: number, len: number): Promise<Buffer | undefined> {
  const buf = Buffer.alloc(len);
  const { bytesRead } = await fh.read(buf, 0, len, pos);
  return bytesRead === len ? buf : undefined;
}

/**
 * @example
 * const layouts = await scanIpc(fh, 'file', size);
 */
export async function scanIpc(fh: fs.FileHandle, format: 'file' | 'stream', size: number): Promise<BatchLayout[]> {
  let pos = 0;
  let end = size;
  if (format === 'file') {
    pos = 8; // "ARROW1" + 2 bytes padding
    const tail = await readExactly(fh, size - 10, 10);
    if (tail) end = Math.max(8, size - 10 - tail.readInt32LE(0));
  }
  const out: BatchLayout[] = [];
  let start = 0;
  while (pos + 8 <= end) {
    const head = await readExactly(fh, pos, 8);
    if (!head) break;
    let metaLen: number;
    let metaPos: number;
    if (head.readUInt32LE(0) === 0xffffffff) {
      metaLen = head.readInt32LE(4);
      metaPos = pos + 8;
    } else {
      metaLen = head.readInt32LE(0); // pre-1.0 framing without the continuation marker
      metaPos = pos + 4;
    }
    if (metaLen <= 0) break; // end-of-stream marker
    const meta = await readExactly(fh, metaPos, metaLen);
    if (!meta) throw new Error(`message header at byte ${pos} is cut short`);
    const msg = Message.decode(meta);
    const bodyOffset = metaPos + metaLen;
    if (msg.isRecordBatch()) {
      const rb = (msg as Message<MessageHeader.RecordBatch>).header();
      out.push({
        start,
        rows: rb.length,
        bodyOffset,
        buffers: rb.buffers.map((b) => ({ offset: Number(b.offset), length: Number(b.length) })),
        nullCounts: rb.nodes.map((n) => Number(n.nullCount)),
        compressed: rb.compression !== null,
      });
      start += rb.length;
    }
    pos = bodyOffset + Number(msg.bodyLength);
  }
  return out;
}
