/**
 * Reading a triplets file (`tripletkit mine` output) for offline training, checked against the images it indexes.
 */
import { openArrowDataset, TripletkitError } from '@tripletkit/common';
import { DataType, type Int } from 'apache-arrow';

/** Triplet columns in memory, plus the mining settings recorded in the file's metadata. */
export interface TripletList {
  anchors: Int32Array;
  positives: Int32Array;
  negatives: Int32Array;
  strategy: string | undefined;
  margin: number | undefined;
}

/**
 * @example
 * const t = await readTriplets('mined.arrow', train.rows);
 */
export async function readTriplets(file: string, imageRows: number): Promise<TripletList> {
  const src = await openArrowDataset(file, 'triplets file');
  try {
    for (const name of ['anchor', 'positive', 'negative']) {
      const f = src.schema.fields.find((x) => x.name === name);
      if (!f) {
        throw new TripletkitError('E_SCHEMA', `The triplets file ${file} has no "${name}" column.`, {
          hint: 'Give the output of tripletkit mine (columns anchor, positive, negative, d_ap, d_an).',
        });
      }
      if (!DataType.isInt(f.type) || (f.type as Int).bitWidth !== 32 || !(f.type as Int).isSigned) {
        throw new TripletkitError('E_SCHEMA', `The "${name}" column of ${file} is ${f.type}, not Int32.`, {
          hint: 'Triplet columns are Int32 row indices (tripletkit mine writes them so).',
        });
      }
    }
    const cols: Record<string, Int32Array[]> = { anchor: [], positive: [], negative: [] };
    for await (const b of src.batches()) {
      for (const name of Object.keys(cols)) {
        const v = b.getChild(name);
        if (!v) continue;
        if (v.nullCount > 0) {
          throw new TripletkitError('E_DATA', `The "${name}" column of ${file} has null values.`, {
            hint: 'Every triplet needs three row indices; regenerate the file with tripletkit mine.',
          });
        }
        cols[name].push(v.toArray() as Int32Array);
      }
    }
    const cat = (parts: Int32Array[]) => {
      const out = new Int32Array(parts.reduce((s, p) => s + p.length, 0));
      let o = 0;
      for (const p of parts) {
        out.set(p, o);
        o += p.length;
      }
      return out;
    };
    const anchors = cat(cols.anchor);
    const positives = cat(cols.positive);
    const negatives = cat(cols.negative);
    if (anchors.length === 0) {
      throw new TripletkitError('E_EMPTY', `The triplets file ${file} has no triplets.`, {
        hint: 'Mine with a looser strategy (e.g. --strategy all) or a larger margin.',
      });
    }
    const check = (col: Int32Array, name: string) => {
      for (let i = 0; i < col.length; i++) {
        if (col[i] < 0 || col[i] >= imageRows) {
          throw new TripletkitError(
            'E_DATA',
            `Row ${i} of ${file} has ${name} index ${col[i]}, outside the ${imageRows} rows of the images file.`,
            { hint: 'Mine the embeddings of this same images file (the triplets index its rows).' },
          );
        }
      }
    };
    check(anchors, 'anchor');
    check(positives, 'positive');
    check(negatives, 'negative');
    const margin = Number(src.metadata['tripletkit.margin']);
    return {
      anchors,
      positives,
      negatives,
      strategy: src.metadata['tripletkit.strategy'],
      margin: Number.isFinite(margin) ? margin : undefined,
    };
  } finally {
    await src.close();
  }
}
