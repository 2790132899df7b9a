/**
 * The embeddings file (docs/formats.md "embeddings"), written by `tripletkit embed` and by any other model: embedding
 * FixedSizeList<Float32>[D] (List/LargeList of Float32 or Float64 accepted on input), label Int32 (other integers or
 * strings accepted on input), optional path Utf8.
 */
import { field, float32ListType, schemaOf } from '../arrowColumns.ts';
import { ArrowTypeId, type DataType, type Field, int32Type, type Schema, utf8Type } from '../arrowTypes.ts';
import { findColumn } from './columns.ts';
import { encodeSource, SHARED_META } from './metadata.ts';

/** Metadata keys of an embeddings file. */
export const EMBEDDINGS_META = {
  kind: SHARED_META.kind,
  /** The images file embedded: a source reference (JSON `{"file", "rows"}`; older files `FILE (N rows)`). */
  source: 'tripletkit.source',
  /** The compute backend and native kernel that produced the vectors (e.g. `wasm+native-avx512`). */
  kernel: SHARED_META.kernel,
  /** JSON array of class names (index files; read by evaluation when labels are integers). */
  classes: 'tripletkit.classes',
} as const;

/**
 * The embeddings schema (embedding, label, path) with the given metadata, keyed by EMBEDDINGS_META or INDEX_META.
 *
 * @example
 * const schema = embeddingsSchema(64, embeddingsMetadata({ file: 'train.arrow', rows: 60000 }, 'wasm'));
 */
export function embeddingsSchema(dim: number, metadata: Record<string, string>): Schema {
  return schemaOf(
    [field('embedding', float32ListType(dim)), field('label', int32Type()), field('path', utf8Type())],
    metadata,
  );
}

/**
 * The metadata `tripletkit embed` writes.
 *
 * @example
 * embeddingsMetadata({ file: 'train.arrow', rows: 60000 }, 'wasm+native-avx2');
 */
export function embeddingsMetadata(source: { file: string; rows: number }, kernel: string): Record<string, string> {
  return {
    [EMBEDDINGS_META.kind]: 'embeddings',
    [EMBEDDINGS_META.source]: encodeSource(source.file, source.rows),
    [EMBEDDINGS_META.kernel]: kernel,
  };
}

const LISTS = new Set<number>([ArrowTypeId.FixedSizeList, ArrowTypeId.List, ArrowTypeId.LargeList]);
const STRINGS = new Set<number>([ArrowTypeId.Utf8, ArrowTypeId.LargeUtf8, ArrowTypeId.Utf8View]);

/** True for a string label type (Utf8, LargeUtf8, Utf8View, or a dictionary of those). */
export function isStringLabel(t: DataType): boolean {
  return (
    STRINGS.has(t.typeId) ||
    (t.typeId === ArrowTypeId.Dictionary && STRINGS.has((t as unknown as { dictionary: DataType }).dictionary.typeId))
  );
}

/**
 * Checks the embedding and label columns of an embeddings file (names default to `embedding` and `label`).
 *
 * @example
 * const { embedding, label } = checkEmbeddings(src.schema.fields, { file: 'emb.arrow' });
 */
export function checkEmbeddings(
  fields: Field[],
  options: { file: string; what?: string; embeddingColumn?: string; labelColumn?: string },
): { embedding: number; label: number; labelIsString: boolean } {
  const { file } = options;
  const what = options.what ?? 'embeddings file';
  const embName = options.embeddingColumn ?? 'embedding';
  const labName = options.labelColumn ?? 'label';
  const embedding = findColumn(fields, embName, {
    file,
    what,
    accepts: (t) => {
      const elem = t.children?.[0]?.type;
      return LISTS.has(t.typeId) && elem?.typeId === ArrowTypeId.Float && elem.precision !== 0;
    },
    expected: 'a list of Float32 or Float64',
    missingHint: `Name the embedding column \`${embName}\`, or pass --embedding-column.`,
    typeHint: 'Store embeddings as FixedSizeList<Float32>[D] (or List<Float32>/List<Float64>).',
  });
  const label = findColumn(fields, labName, {
    file,
    what,
    accepts: (t) => isStringLabel(t) || t.typeId === ArrowTypeId.Int || t.typeId === ArrowTypeId.Float,
    expected: 'an integer or string',
    missingHint: `Name the label column \`${labName}\`, or pass --label-column.`,
    typeHint: 'Store labels as Int32.',
  });
  return { embedding, label, labelIsString: isStringLabel(fields[label].type) };
}
