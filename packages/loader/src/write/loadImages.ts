import type { RecordBatch } from '@tripletkit/common';
import type { ImageSource, LoadOptions } from '../types.ts';
import { startLoad } from './startLoad.ts';

/**
 * Streams images as Arrow record batches (`pixels`, `label`, `path`; schema metadata per the images contract), in
 * input order, `batchRows` rows each (the last may be shorter). Bad files are skipped (see `onBadFile`) unless
 * `strict`.
 *
 * @example
 * for await (const batch of loadImages({ folder: 'data/train' }, { size: 64, channels: 1 })) {
 *   console.log(batch.numRows, batch.schema.metadata.get('tripletkit.classes'));
 * }
 */
export async function* loadImages(source: ImageSource, options: LoadOptions = {}): AsyncGenerator<RecordBatch> {
  const load = await startLoad(source, options);
  yield* load.batches;
}
