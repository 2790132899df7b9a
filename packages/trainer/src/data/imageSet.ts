/**
 * A training/validation images file, held in memory when it is small and read from the file when it is not.
 *
 * Training visits rows in random order every epoch. A small file (60,000 MNIST digits are 47 MB) is fastest copied
 * into memory once. A large one (Fashion-MNIST at 96×96 RGB is 1.6 GB; 200k photos at 224² are 30 GB) is not
 * copied at all: each batch's rows are read by positional reads when the batch is gathered (the OS page cache is the
 * cache every worker shares), so the process's memory does not grow with the file. The choice is automatic
 * (`storage` says which) and can be forced (option `inMemory`, or TRIPLETKIT_IMAGES_IN_MEMORY=always|never).
 */
import { TripletkitError } from '@tripletkit/common';
import { type ImagesFile, openImages } from '@tripletkit/loader';

/** Files up to this many pixel bytes are copied into memory (the fast path); larger ones are read per batch. */
export const IN_MEMORY_MAX_BYTES = 256 * 1024 * 1024;

/** TRIPLETKIT_IMAGES_IN_MEMORY=always|never overrides the automatic choice (e.g. to measure one against the other). */
function forced(): boolean | undefined {
  const v = process.env.TRIPLETKIT_IMAGES_IN_MEMORY;
  return v === 'always' ? true : v === 'never' ? false : undefined;
}

/** An images file ready for batches. */
export interface ImageSet {
  path: string;
  rows: number;
  shape: [number, number, number];
  /** rows × H × W × C, uint8, when the set is held in memory (`storage` = `memory`). */
  pixels?: Uint8Array;
  labels: Int32Array;
  classes: string[];
  /** `memory`: copied in once; `file`: rows read from the file when a batch is gathered. */
  storage: 'memory' | 'file';
  /** Pixel bytes of the whole set. */
  bytes: number;
  /** Releases the file (a no-op in memory). */
  close(): Promise<void>;
  /** @internal the open file, in `file` storage */
  file?: ImagesFile;
}

/**
 * Reads an images file (or a folder/glob of parts). `minClasses` (2 for training) rejects files a triplet loss cannot
 * learn from; `inMemory` forces the storage (default: in memory up to {@link IN_MEMORY_MAX_BYTES}).
 *
 * @example
 * const train = await readImageSet('train.arrow', { minClasses: 2 });
 * console.log(train.storage); // 'memory' or 'file'
 */
export async function readImageSet(
  file: string,
  options: { minClasses?: number; what?: string; inMemory?: boolean } = {},
): Promise<ImageSet> {
  const images = await openImages(file);
  let keepOpen = false;
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
    const labels = await images.labels();
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
    const bytes = rows * size;
    const base = { path: file, rows, shape, labels, classes: images.classes, bytes };
    if (options.inMemory ?? forced() ?? bytes <= IN_MEMORY_MAX_BYTES) {
      const pixels = new Uint8Array(bytes);
      for await (const b of images.batches()) pixels.set(b.pixels, b.start * size);
      return { ...base, pixels, storage: 'memory', close: async () => undefined };
    }
    keepOpen = true;
    return { ...base, storage: 'file', file: images, close: () => images.close() };
  } finally {
    if (!keepOpen) await images.close();
  }
}

/**
 * Copies the given rows' pixels into one contiguous buffer (the batch's distinct images), from memory or by
 * positional reads of the file.
 */
export function gatherPixels(set: ImageSet, rows: ArrayLike<number>): Uint8Array {
  if (!set.pixels) {
    if (!set.file) throw new TripletkitError('E_ARG', `The images set ${set.path} is closed.`);
    return set.file.readRowsSync(rows);
  }
  const size = set.shape[0] * set.shape[1] * set.shape[2];
  const out = new Uint8Array(rows.length * size);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    out.set(set.pixels.subarray(r * size, (r + 1) * size), i * size);
  }
  return out;
}

/** Pixels of rows r … r + n − 1 (a view in memory, a read from the file). */
export function pixelRange(set: ImageSet, r: number, n: number): Uint8Array {
  const size = set.shape[0] * set.shape[1] * set.shape[2];
  if (set.pixels) return set.pixels.subarray(r * size, (r + n) * size);
  return gatherPixels(
    set,
    Array.from({ length: n }, (_, i) => r + i),
  );
}

/** One line saying how a set is read (the automatic in-memory/out-of-core choice), for the training log. */
export function describeStorage(set: ImageSet): string {
  const mb = (set.bytes / 2 ** 20).toFixed(0);
  return set.storage === 'memory'
    ? `images ${set.path}: ${set.rows} rows, ${mb} MB, held in memory`
    : `images ${set.path}: ${set.rows} rows, ${mb} MB, read from the file per batch (${set.bytes > IN_MEMORY_MAX_BYTES ? `over ${IN_MEMORY_MAX_BYTES / 2 ** 20} MB` : 'as asked'}: memory does not grow with the file)`;
}
