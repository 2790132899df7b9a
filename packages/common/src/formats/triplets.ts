/**
 * The triplets file (docs/formats.md "triplets"), written by `tripletkit mine` and read by `tripletkit train
 * --triplets`: anchor, positive, negative Int32 row indices and d_ap, d_an Float32 distances.
 */
import { field, schemaOf } from '../arrowColumns.ts';
import { type Field, float32Type, int32Type, isIntType, type Schema } from '../arrowTypes.ts';
import { findColumn } from './columns.ts';
import { SHARED_META } from './metadata.ts';

/** Metadata keys of a triplets file. */
export const TRIPLETS_META = {
  kind: SHARED_META.kind,
  /** `all`, `hard`, `semi-hard`, `easy`, `batch-hard`. */
  strategy: 'tripletkit.strategy',
  /** Decimal. */
  margin: 'tripletkit.margin',
  distance: 'tripletkit.distance',
  /** `true` / `false`. */
  normalize: 'tripletkit.normalize',
  /** The embeddings mined: a source reference (JSON `{"file", "rows"}`). */
  source: 'tripletkit.source',
  /** The `--reference` embeddings: a source reference. */
  reference: 'tripletkit.reference',
  maxPerAnchor: 'tripletkit.max_per_anchor',
  negativesPerPair: 'tripletkit.negatives_per_pair',
  pick: 'tripletkit.pick',
  seed: 'tripletkit.seed',
  /** `i/n` when the anchors were one shard. */
  shard: 'tripletkit.shard',
  /** The distance kernel (`native-avx512`, `js`, …). */
  kernel: SHARED_META.kernel,
} as const;

/** The index columns of a triplets file, in order. */
export const TRIPLET_INDEX_COLUMNS = ['anchor', 'positive', 'negative'] as const;

/**
 * The triplets schema with the given metadata (keyed by TRIPLETS_META; `tripletkit.kind` = `triplets` is added first).
 *
 * @example
 * const schema = tripletsSchema({ [TRIPLETS_META.strategy]: 'semi-hard' });
 */
export function tripletsSchema(metadata: Record<string, string>): Schema {
  return schemaOf(
    [
      field('anchor', int32Type()),
      field('positive', int32Type()),
      field('negative', int32Type()),
      field('d_ap', float32Type()),
      field('d_an', float32Type()),
    ],
    { [TRIPLETS_META.kind]: 'triplets', ...metadata },
  );
}

/**
 * Checks that a triplets file has Int32 anchor, positive and negative columns; returns their indexes.
 *
 * @example
 * const [a, p, n] = checkTriplets(src.schema.fields, 'mined.arrow');
 */
export function checkTriplets(fields: Field[], file: string): number[] {
  return TRIPLET_INDEX_COLUMNS.map((name) =>
    findColumn(fields, name, {
      file,
      what: 'triplets file',
      accepts: (t) => isIntType(t, 32, true),
      expected: 'Int32',
      missingHint: 'Give the output of tripletkit mine (columns anchor, positive, negative, d_ap, d_an).',
      typeHint: 'Triplet columns are Int32 row indices (tripletkit mine writes them so).',
    }),
  );
}
