/**
 * Reads an embeddings file (the contract's `embedding` FixedSizeList<Float32> + `label` Int32 columns, any writer,
 * file or stream format) fully into memory for evaluation.
 */
import { fixedSizeListValues, openArrow, TripletkitError } from '@tripletkit/common';
import { type FixedSizeList, Type } from 'apache-arrow';

/** An embeddings file in memory. */
export interface EmbeddingsTable {
  embeddings: Float32Array;
  labels: Int32Array;
  dim: number;
  rows: number;
  /** Class names from `tripletkit.classes` metadata, when present. */
  classes: string[];
}

/**
 * @example
 * const { embeddings, labels, dim } = await readEmbeddings('embeddings.arrow');
 */
export async function readEmbeddings(file: string): Promise<EmbeddingsTable> {
  const src = await openArrow(file, 'embeddings file');
  try {
    const emb = src.schema.fields.find((f) => f.name === 'embedding');
    const lab = src.schema.fields.find((f) => f.name === 'label');
    const isFloatList =
      emb &&
      emb.type.typeId === Type.FixedSizeList &&
      (emb.type as FixedSizeList).children[0].type.typeId === Type.Float;
    if (!emb || !isFloatList) {
      throw new TripletkitError(
        'E_SCHEMA',
        `The embeddings file ${file} has no "embedding" FixedSizeList<Float32> column.`,
        {
          hint: `Columns found: ${src.schema.fields.map((f) => `${f.name} (${f.type})`).join(', ')}. Write it with tripletkit embed, or as pyarrow pa.list_(pa.float32(), D).`,
        },
      );
    }
    if (!lab || lab.type.typeId !== Type.Int) {
      throw new TripletkitError('E_SCHEMA', `The embeddings file ${file} has no integer "label" column.`, {
        hint: 'Evaluation needs one class label per row (Int32, as tripletkit embed writes it).',
      });
    }
    const dim = (emb.type as FixedSizeList).listSize;
    const parts: Float32Array[] = [];
    const labelParts: number[] = [];
    let rows = 0;
    for await (const batch of src.batches()) {
      const e = batch.getChild('embedding')!;
      const l = batch.getChild('label')!;
      if (e.nullCount > 0 || l.nullCount > 0) {
        throw new TripletkitError(
          'E_DATA',
          `The embeddings file ${file} has null embeddings or labels (batch near row ${rows}).`,
          {
            hint: 'Drop or fill those rows before evaluating.',
          },
        );
      }
      const values = fixedSizeListValues<Float32Array>(e);
      parts.push(values instanceof Float32Array ? values : Float32Array.from(values));
      for (let i = 0; i < l.length; i++) labelParts.push(Number(l.get(i)));
      rows += batch.numRows;
    }
    const embeddings = new Float32Array(rows * dim);
    let o = 0;
    for (const p of parts) {
      embeddings.set(p, o);
      o += p.length;
    }
    let classes: string[] = [];
    try {
      const parsed = JSON.parse(src.metadata['tripletkit.classes'] ?? '[]');
      if (Array.isArray(parsed)) classes = parsed.map(String);
    } catch {
      // Metadata is optional (pyarrow/polars files have none); class indices are shown instead of names.
    }
    return { embeddings, labels: Int32Array.from(labelParts), dim, rows, classes };
  } finally {
    await src.close();
  }
}
