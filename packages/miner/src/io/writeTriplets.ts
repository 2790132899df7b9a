/**
 * Writes mined triplets as an Arrow IPC file (docs/formats.md "triplets"), streamed batch by batch to a
 * temporary name and renamed when complete: a failed or interrupted run leaves no output file.
 */
import {
  type ArrowFormat,
  field,
  float32Data,
  float32Type,
  int32Data,
  int32Type,
  type RecordBatch,
  recordBatch,
  type Schema,
  schemaOf,
  writeArrow,
} from '@tripletkit/common';
import type { MinedTriplets } from '../core/types.ts';

/** The triplets schema with the given metadata (`tripletkit.kind` = `triplets` is added). */
export function tripletSchema(metadata: Record<string, string>): Schema {
  return schemaOf(
    [
      field('anchor', int32Type()),
      field('positive', int32Type()),
      field('negative', int32Type()),
      field('d_ap', float32Type()),
      field('d_an', float32Type()),
    ],
    { 'tripletkit.kind': 'triplets', ...metadata },
  );
}

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
 * await writeTriplets('mined.arrow', mineStream(emb, 64, labels, opts), { 'tripletkit.strategy': 'semi-hard' });
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
