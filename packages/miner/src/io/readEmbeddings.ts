/**
 * Reads an embeddings file (docs/formats.md "embeddings") into one row-major Float32Array and Int32 labels,
 * accepting what other tools write: FixedSizeList / List / LargeList of Float32 or Float64, integer, integral float
 * or string labels (Utf8, LargeUtf8, Utf8View, dictionary), with or without tripletkit metadata.
 */
import {
  type Data,
  openArrowDataset,
  type RecordBatch,
  TripletkitError,
  ArrowTypeId as Type,
} from '@tripletkit/common';
import { checkEmbeddings } from '@tripletkit/common/formats';

/** An embeddings file in memory. */
export interface EmbeddingsFile {
  path: string;
  rows: number;
  dim: number;
  /** rows × dim, row-major. */
  embeddings: Float32Array;
  /** Class id per row. String labels are numbered by first appearance (shared `labelMap` across files). */
  labels: Int32Array;
  /** `int` labels are used as they are; `string` labels went through the label map. */
  labelKind: 'int' | 'string';
  metadata: Record<string, string>;
}

/** Options of {@link readEmbeddings}. */
export interface ReadEmbeddingsOptions {
  /** Column names (defaults `embedding` and `label`). */
  embeddingColumn?: string;
  labelColumn?: string;
  /** Words for messages, e.g. "reference file". Default "embeddings file". */
  what?: string;
  /** String label → id; pass the same map for files mined together so equal names get equal ids. */
  labelMap?: Map<string, number>;
}

function fail(code: 'E_DATA' | 'E_EMPTY', message: string, hint: string): never {
  throw new TripletkitError(code, message, { hint });
}

/** Row r of a list column as [start, end) into the child's values. */
function listBounds(d: Data, r: number, dim: number): [number, number] {
  if (d.type.typeId === Type.FixedSizeList) return [(d.offset + r) * dim, (d.offset + r + 1) * dim];
  const offs = d.valueOffsets as Int32Array | BigInt64Array;
  return [Number(offs[d.offset + r]), Number(offs[d.offset + r + 1])];
}

/**
 * @example
 * const { embeddings, dim, labels } = await readEmbeddings('embeddings.arrow');
 */
export async function readEmbeddings(file: string, options: ReadEmbeddingsOptions = {}): Promise<EmbeddingsFile> {
  const what = options.what ?? 'embeddings file';
  const embName = options.embeddingColumn ?? 'embedding';
  const labName = options.labelColumn ?? 'label';
  const labelMap = options.labelMap ?? new Map<string, number>();
  const src = await openArrowDataset(file, what);
  try {
    const fields = src.schema.fields;
    const {
      embedding: ei,
      label: li,
      labelIsString,
    } = checkEmbeddings(fields, {
      file,
      what,
      embeddingColumn: embName,
      labelColumn: labName,
    });
    const et = fields[ei].type;
    let dim = et.typeId === Type.FixedSizeList ? (et as { listSize: number }).listSize : -1;
    const embParts: Float32Array[] = [];
    const labParts: Int32Array[] = [];
    let rows = 0;
    for await (const batch of src.batches() as AsyncIterable<RecordBatch>) {
      const n = batch.numRows;
      if (n === 0) continue;
      const ed = batch.data.children[ei];
      const ld = batch.data.children[li];
      // Labels: no nulls, integral, 32-bit.
      const labs = new Int32Array(n);
      for (let r = 0; r < n; r++) {
        if (ld.nullCount > 0 && !ld.getValid(r)) {
          fail('E_DATA', `Row ${rows + r} of ${file} has a null label.`, 'Give every row a label, or drop the row.');
        }
      }
      if (labelIsString) {
        const vec = batch.getChildAt(li);
        for (let r = 0; r < n; r++) {
          const s = String(vec?.get(r));
          let id = labelMap.get(s);
          if (id === undefined) {
            id = labelMap.size;
            labelMap.set(s, id);
          }
          labs[r] = id;
        }
      } else {
        const vals = ld.values as ArrayLike<number | bigint>;
        for (let r = 0; r < n; r++) {
          const v = Number(vals[ld.offset + r]);
          if (!Number.isInteger(v) || v < -2147483648 || v > 2147483647) {
            fail(
              'E_DATA',
              `Row ${rows + r} of ${file} has label ${v}, not a 32-bit integer.`,
              'Use integer class ids.',
            );
          }
          labs[r] = v;
        }
      }
      // Embeddings: one row-major block; every row non-null, of the same length.
      const child = ed.children[0];
      const values = child.values as Float32Array | Float64Array;
      if (dim < 0) {
        const [s, e] = listBounds(ed, 0, 0);
        dim = e - s;
      }
      if (dim === 0) {
        fail('E_DATA', `The \`${embName}\` column of ${file} has dimension 0.`, 'Embeddings need at least one value.');
      }
      const out = new Float32Array(n * dim);
      for (let r = 0; r < n; r++) {
        if (ed.nullCount > 0 && !ed.getValid(r)) {
          fail('E_DATA', `Row ${rows + r} of ${file} has a null embedding.`, 'Drop the row or fill it in.');
        }
        const [s, e] = listBounds(ed, r, dim);
        if (e - s !== dim) {
          fail(
            'E_DATA',
            `Row ${rows + r} of ${file} has an embedding of ${e - s} values, but earlier rows have ${dim}.`,
            'All embeddings must have the same dimension.',
          );
        }
        for (let k = 0; k < dim; k++) {
          const v = values[s + k];
          if (v - v !== 0 || (child.nullCount > 0 && !child.getValid(s + k))) {
            const bad =
              child.nullCount > 0 && !child.getValid(s + k)
                ? 'a null'
                : Number.isNaN(v)
                  ? 'a NaN'
                  : 'an infinite value';
            fail(
              'E_DATA',
              `Row ${rows + r} of ${file} has ${bad} in its embedding (value ${k}).`,
              'Check the model that produced the embeddings; drop or fix that row.',
            );
          }
          out[r * dim + k] = v;
        }
      }
      embParts.push(out);
      labParts.push(labs);
      rows += n;
    }
    if (rows === 0) {
      fail('E_EMPTY', `The ${what} ${file} has no rows.`, 'Embed some images first (tripletkit embed).');
    }
    const embeddings = embParts.length === 1 ? embParts[0] : new Float32Array(rows * dim);
    const labels = labParts.length === 1 ? labParts[0] : new Int32Array(rows);
    if (embParts.length > 1) {
      let o = 0;
      for (let b = 0; b < embParts.length; b++) {
        embeddings.set(embParts[b], o * dim);
        labels.set(labParts[b], o);
        o += labParts[b].length;
      }
    }
    return {
      path: file,
      rows,
      dim,
      embeddings,
      labels,
      labelKind: labelIsString ? 'string' : 'int',
      metadata: src.metadata,
    };
  } finally {
    await src.close();
  }
}
