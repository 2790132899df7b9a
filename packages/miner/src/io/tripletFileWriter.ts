/**
 * A writer for the triplets layout (docs/formats.md "triplets") that takes each record batch as a
 * {@link PendingBlock}: the batch's row count is known before its rows exist, so its header is written first and
 * its five columns are filled by positional writes, one small reused chunk at a time. A batch of any size costs a
 * few megabytes of memory and one pass. The framing is apache-arrow's own (its Message, Footer and FileBlock
 * encoders, with the layout its RecordBatchWriter uses), so the file is byte for byte what `writeTriplets` writes
 * for the same batches (test/tripletFileWriter.test.ts).
 */
import fs from 'node:fs';
import {
  type ArrowFormat,
  BufferRegion,
  FieldNode,
  FileBlock,
  Footer,
  IpcMessage as Message,
  MetadataVersion,
  RecordBatchHeader,
  writeAtomic,
} from '@tripletkit/common';
import { allocTriplets, type PendingBlock } from '../core/pendingBlock.ts';
import type { MinedTriplets } from '../core/types.ts';
import { tripletSchema } from './writeTriplets.ts';

const MAGIC = Buffer.from('ARROW1');
/** Rows per chunk: 5 columns × 4 bytes × 2^18 = 5 MiB, reused for every batch. */
const CHUNK_ROWS = 1 << 18;
const align8 = (n: number) => (n + 7) & ~7;

/** A message as apache-arrow's writer frames it: continuation, padded size, flatbuffer, padding to 8. */
function frame(message: Message): { bytes: Buffer; metaLength: number } {
  const fb = Message.encode(message);
  const aligned = align8(fb.byteLength + 8);
  const bytes = Buffer.alloc(aligned);
  bytes.writeInt32LE(-1, 0);
  bytes.writeInt32LE(aligned - 8, 4);
  bytes.set(fb, 8);
  return { bytes, metaLength: aligned };
}

/** Sequential writes at a tracked position, plus positional writes inside what has been reserved. */
class Sink {
  position = 0;
  constructor(readonly fd: number) {}
  write(bytes: Uint8Array): void {
    this.writeAt(bytes, this.position);
    this.position += bytes.byteLength;
  }
  writeAt(bytes: Uint8Array, at: number): void {
    let done = 0;
    while (done < bytes.byteLength) done += fs.writeSync(this.fd, bytes, done, bytes.byteLength - done, at + done);
  }
}

/**
 * Writes the blocks as one record batch each (empty blocks are skipped, as `writeTriplets` does) to `target`,
 * atomically. `onBlock` runs after each block is written (progress, and a chance for timers to run).
 *
 * @example
 * await writeTripletBlocks('mined.arrow', blocks(), { [TRIPLETS_META.strategy]: 'semi-hard' });
 */
export async function writeTripletBlocks(
  target: string,
  blocks: AsyncIterable<PendingBlock> | Iterable<PendingBlock>,
  metadata: Record<string, string>,
  options: { format?: ArrowFormat /** rows per chunk (tests) */; chunkRows?: number } = {},
): Promise<{ rows: number; batches: number }> {
  const schema = tripletSchema(metadata);
  const stream = options.format === 'stream';
  return writeAtomic(target, async (tmp) => {
    const fd = fs.openSync(tmp, 'w');
    try {
      const sink = new Sink(fd);
      const recordBlocks: FileBlock[] = [];
      if (stream) sink.write(frame(Message.from(schema)).bytes);
      else sink.write(Buffer.concat([MAGIC, Buffer.alloc(2)]));
      const chunk = allocTriplets(options.chunkRows ?? CHUNK_ROWS);
      let rows = 0;
      for await (const block of blocks) {
        const n = block.remaining;
        if (n === 0) continue;
        recordBlocks.push(writeBatch(sink, block, n, chunk));
        rows += n;
      }
      sink.write(Buffer.from(Int32Array.of(-1, 0).buffer));
      if (!stream) {
        const footer = Footer.encode(new Footer(schema, MetadataVersion.V5, recordBlocks, []));
        sink.write(footer);
        sink.write(Buffer.from(Int32Array.of(footer.byteLength).buffer));
        sink.write(MAGIC);
      }
      return { rows, batches: recordBlocks.length };
    } finally {
      fs.closeSync(fd);
    }
  });
}

function writeBatch(sink: Sink, block: PendingBlock, n: number, chunk: MinedTriplets): FileBlock {
  const col = align8(4 * n);
  const nodes: FieldNode[] = [];
  const regions: BufferRegion[] = [];
  for (let c = 0; c < 5; c++) {
    nodes.push(new FieldNode(n, 0));
    // A zero-length validity placeholder, then the values (VectorAssembler's layout for non-null columns).
    regions.push(new BufferRegion(c * col, 0), new BufferRegion(c * col, col));
  }
  const header = new RecordBatchHeader(n, nodes, regions, null, [], new Map());
  const { bytes, metaLength } = frame(Message.from(header, 5 * col));
  const at = sink.position;
  sink.write(bytes);
  const body = sink.position;
  // A chunk holds at least one expansion step (one positive's negatives: at most one per candidate row).
  const room = block.step > chunk.anchors.length ? allocTriplets(block.step) : chunk;
  const views = [room.anchors, room.positives, room.negatives, room.dAp, room.dAn];
  const cap = room.anchors.length;
  let done = 0;
  while (done < n) {
    const got = block.expand(room, 0, cap);
    if (got === 0) throw new Error('internal: a pending block made no progress');
    for (let c = 0; c < 5; c++) {
      const v = views[c];
      sink.writeAt(new Uint8Array(v.buffer, v.byteOffset, 4 * got), body + c * col + 4 * done);
    }
    done += got;
  }
  // Column padding (zero bytes), as the reference writer emits it.
  if (col > 4 * n) for (let c = 0; c < 5; c++) sink.writeAt(new Uint8Array(col - 4 * n), body + c * col + 4 * n);
  sink.position = body + 5 * col;
  return new FileBlock(metaLength, 5 * col, at);
}
