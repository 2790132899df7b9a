/**
 * A training/validation images file held in memory as uint8 (60,000 MNIST digits are 47 MB): training visits rows in
 * random order every epoch, so random access from memory beats re-reading the file.
 */
import { TripletkitError } from '@tripletkit/common';
import { openImages } from '@tripletkit/loader';

/** Images in memory. */
export interface ImageSet {
  path: string;
  rows: number;
  shape: [number, number, number];
  /** rows × H × W × C, uint8. */
  pixels: Uint8Array;
  labels: Int32Array;
  classes: string[];
}

/**
 * Reads a whole images file. `minClasses` (2 for training) rejects files a triplet loss cannot learn from.
 *
 * @example
 * const train = await readImageSet('train.arrow', { minClasses: 2 });
 */
export async function readImageSet(
  file: string,
  options: { minClasses?: number; what?: string } = {},
): Promise<ImageSet> {
  const images = await openImages(file);
  try {
    const shape: [number, number, number] = [images.height, images.width, images.channels];
    const size = shape[0] * shape[1] * shape[2];
    const rows = images.numRows;
    const what = options.what ?? 'images file';
    if (rows === 0) {
      throw new TripletkitError('E_EMPTY', `The ${what} ${file} has no rows.`, {
        hint: 'Load some images into it with tripletkit load.',
      });
    }
    const pixels = new Uint8Array(rows * size);
    const labels = new Int32Array(rows);
    for await (const b of images.batches()) {
      pixels.set(b.pixels, b.start * size);
      labels.set(b.labels, b.start);
    }
    const distinct = new Set(labels).size;
    const min = options.minClasses ?? 1;
    if (distinct < min) {
      throw new TripletkitError(
        'E_DATA',
        `The ${what} ${file} has ${distinct} class${distinct === 1 ? '' : 'es'}; a triplet loss needs at least ${min} (negatives come from other classes).`,
        {
          hint: 'Load a folder with one subfolder per class (or a manifest with a label column) covering several classes.',
        },
      );
    }
    return { path: file, rows, shape, pixels, labels, classes: images.classes };
  } finally {
    await images.close();
  }
}

/** Copies the given rows' pixels into one contiguous buffer (the batch's distinct images). */
export function gatherPixels(set: ImageSet, rows: ArrayLike<number>): Uint8Array {
  const size = set.shape[0] * set.shape[1] * set.shape[2];
  const out = new Uint8Array(rows.length * size);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    out.set(set.pixels.subarray(r * size, (r + 1) * size), i * size);
  }
  return out;
}
