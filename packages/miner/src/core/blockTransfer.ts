/**
 * How a mined anchor block crosses from a worker thread to the thread that consumes it. A block the consumer wants
 * as arrays travels as its triplets. A block the consumer expands chunk by chunk (`tripletkit mine` writing a file)
 * travels as its compact description when that is smaller: an output-heavy block is 16 bytes per qualifying negative
 * plus its positives, however many triplets it forms, so with worker threads an output of any size still streams
 * through bounded memory, as it does on one thread. Every array is fresh and transferred, never copied.
 */
import { type PackedRecords, RecordsBlock } from '../strategies/collectAll.ts';
import { MaterializedBlock, materialize, type PendingBlock } from './pendingBlock.ts';
import type { MinedTriplets } from './types.ts';

/** A block in transit: its triplets, or the records they expand from. */
export type BlockMessage = { triplets: MinedTriplets } | { records: PackedRecords };

/**
 * The message for block `b` and the buffers to transfer with it (`asArrays`: always the triplets).
 *
 * @example
 * const { message, transfer } = packBlock(miner.scan(a0, a1), false);
 * port.postMessage({ id, block: message }, transfer);
 */
export function packBlock(b: PendingBlock, asArrays: boolean): { message: BlockMessage; transfer: ArrayBuffer[] } {
  if (!asArrays && b instanceof RecordsBlock && b.retainedBytes <= 20 * b.total) {
    const records = b.pack();
    b.release?.();
    const { pos } = records;
    const arrays = [pos.start, pos.row, pos.val, pos.slot, records.recStart, records.triplets];
    const transfer = [...arrays, records.neg, records.x, records.lo, records.hi].map((a) => a.buffer as ArrayBuffer);
    return { message: { records }, transfer };
  }
  const t = materialize(b);
  b.release?.();
  const transfer = [t.anchors, t.positives, t.negatives, t.dAp, t.dAn].map((a) => a.buffer as ArrayBuffer);
  return { message: { triplets: t }, transfer };
}

/**
 * The pending block a {@link BlockMessage} describes, ready to expand on this thread.
 *
 * @example
 * const block = unpackBlock(msg.block);
 */
export function unpackBlock(m: BlockMessage): PendingBlock {
  return 'records' in m ? RecordsBlock.unpack(m.records) : new MaterializedBlock(m.triplets);
}
