/**
 * Reading a triplets file (`tripletkit mine` output) for offline training, checked against the images it indexes.
 */
import { openArrowDataset, TripletkitError } from '@tripletkit/common';
import { checkTriplets, decodeSource, TRIPLETS_META } from '@tripletkit/common/formats';

/** Triplet columns in memory, plus the mining settings recorded in the file's metadata. */
export interface TripletList {
  anchors: Int32Array;
  positives: Int32Array;
  negatives: Int32Array;
  strategy: string | undefined;
  margin: number | undefined;
}

function mismatch(file: string, detail: string): TripletkitError {
  return new TripletkitError('E_DATA', `The triplets file ${file} was not mined from these images: ${detail}.`, {
    hint: 'Embed this images file (tripletkit embed), mine those embeddings (tripletkit mine) and train on that output.',
  });
}

/**
 * Reads triplets and checks them against the images they index: the row count recorded at mining time must equal
 * the images' (when recorded), every index must be a row, and with `labels` every triplet must be label-consistent
 * (anchor and positive of one class, negative of another) — triplets mined from another file are refused.
 *
 * @example
 * const t = await readTriplets('mined.arrow', train.rows, train.labels);
 */
export async function readTriplets(file: string, imageRows: number, labels?: Int32Array): Promise<TripletList> {
  const src = await openArrowDataset(file, 'triplets file');
  try {
    const recorded = decodeSource(src.metadata[TRIPLETS_META.source])?.rows;
    if (recorded !== undefined && recorded !== imageRows) {
      throw mismatch(file, `it was mined from ${recorded} rows but the images file has ${imageRows}`);
    }
    checkTriplets(src.schema.fields, file);
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
    if (labels) {
      for (let i = 0; i < anchors.length; i++) {
        const la = labels[anchors[i]];
        if (labels[positives[i]] !== la || labels[negatives[i]] === la || anchors[i] === positives[i]) {
          throw mismatch(
            file,
            `row ${i} (anchor ${anchors[i]}, positive ${positives[i]}, negative ${negatives[i]}) does not fit the images' labels`,
          );
        }
      }
    }
    const margin = Number(src.metadata[TRIPLETS_META.margin]);
    return {
      anchors,
      positives,
      negatives,
      strategy: src.metadata[TRIPLETS_META.strategy],
      margin: Number.isFinite(margin) ? margin : undefined,
    };
  } finally {
    await src.close();
  }
}
