/**
 * Writes mined triplets as an Arrow IPC file (docs/formats.md "triplets"), streamed batch by batch to a
 * temporary name and renamed when complete: a failed or interrupted run leaves no output file.
 */
import {
  type ArrowFormat,
  float32Data,
  int32Data,
  type RecordBatch,
  recordBatch,
  type Schema,
  writeArrow,
} from '@tripletkit/common';
import { tripletsSchema } from '@tripletkit/common/formats';
import type { MinedTriplets } from '../core/types.ts';

/** The triplets schema of `@tripletkit/common/formats`, under the miner's historical name. */
export const tripletSchema: (metadata: Record<string, string>) => Schema = tripletsSchema;

/** One record batch over the columns, without copying. */
export function tripletBatch(schema: Schema, t: MinedTriplets): RecordBatch {
  return recordBatch(schema, [
    int32Data(t.anchors),
    int32Data(t.positives),
    int32Data(t.negatives),
    float32Data(t.dAp),
    float32Data(t.dAn),
  ]);
}

/**
 * @example
 * await writeTriplets('mined.arrow', mineStream(emb, 64, labels, opts), { [TRIPLETS_META.strategy]: 'semi-hard' });
 */
export async function writeTriplets(
  target: string,
  parts: AsyncIterable<MinedTriplets> | Iterable<MinedTriplets>,
  metadata: Record<string, string>,
  options: { format?: ArrowFormat } = {},
): Promise<{ rows: number; batches: number }> {
  const schema = tripletSchema(metadata);
  async function* batches() {
    for await (const t of parts) if (t.anchors.length > 0) yield tripletBatch(schema, t);
  }
  return writeArrow(target, schema, batches(), options);
}
