/**
 * The one column checker of every tripletkit reader: a named column must exist and have an accepted type, else an
 * `E_SCHEMA` error naming the file, the column and what was found.
 */
import { fixedSizeListData, int32Data, recordBatch, utf8Data } from '../arrowColumns.ts';
import type { DataType, Field, FixedSizeList, RecordBatch, Schema } from '../arrowTypes.ts';
import { TripletkitError } from '../errors.ts';

/** What {@link findColumn} checks and says. */
export interface ColumnCheck {
  /** The file, as given. */
  file: string;
  /** Words for the file in messages, e.g. "embeddings file". */
  what: string;
  /** Accepts the column's type; omitted: any type. */
  accepts?: (type: DataType) => boolean;
  /** The accepted types in words, e.g. "Int32" or "a list of Float32 or Float64". */
  expected?: string;
  /** What to do when the column is missing. */
  missingHint: string;
  /** What to do when the type is wrong (default: missingHint). */
  typeHint?: string;
}

/**
 * The index of column `name`, checked; -1 only when `optional` and absent.
 *
 * @example
 * const li = findColumn(schema.fields, 'label', { file, what: 'images file', accepts: isInt32, expected: 'Int32',
 *   missingHint: 'Write images with tripletkit load.' });
 */
export function findColumn(fields: Field[], name: string, check: ColumnCheck, optional = false): number {
  const i = fields.findIndex((f) => f.name === name);
  if (i < 0) {
    if (optional) return -1;
    const found = fields.map((f) => f.name).join(', ') || 'none';
    throw new TripletkitError(
      'E_SCHEMA',
      `The ${check.what} ${check.file} has no \`${name}\` column (columns found: ${found}).`,
      {
        hint: check.missingHint,
      },
    );
  }
  const type = fields[i].type;
  if (check.accepts && !check.accepts(type)) {
    throw new TripletkitError(
      'E_SCHEMA',
      `The \`${name}\` column of ${check.file} is ${type}, not ${check.expected}.`,
      {
        hint: check.typeHint ?? check.missingHint,
      },
    );
  }
  return i;
}

/**
 * One record batch of the (FixedSizeList, label Int32, path Utf8) layout that images, embeddings and index files
 * share, without copying; the list size comes from the schema's first column.
 *
 * @example
 * const batch = listBatch(imagesSchema(meta), pixels, labels, paths);
 */
export function listBatch(
  schema: Schema,
  values: Float32Array | Uint8Array,
  labels: Int32Array,
  paths: readonly string[],
): RecordBatch {
  const size = (schema.fields[0].type as FixedSizeList).listSize;
  return recordBatch(schema, [fixedSizeListData(values, size), int32Data(labels), utf8Data(paths)]);
}
