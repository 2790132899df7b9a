/**
 * The loader's public shapes: where images come from, how they are processed, and what a run reports.
 */

/** How an image is fitted into the output size (sharp's names). */
export type Fit = 'cover' | 'contain' | 'fill';

/** Resampling kernel used when resizing. */
export type Kernel = 'nearest' | 'linear' | 'cubic' | 'lanczos3';

/** sharp's `failOn`: how sensitive decoding is to invalid pixel data. */
export type FailOn = 'none' | 'truncated' | 'error' | 'warning';

/**
 * Where images come from: one of
 * - `{ folder }`: one subfolder per class (class index = sorted subfolder names; files found recursively inside),
 * - `{ manifest }`: a CSV (`path,label` header) or JSONL (`{"path":…,"label":…}` per line) file; relative paths
 *   resolve against the manifest's folder,
 * - `{ idx: { images, labels } }`: an MNIST-style IDX pair, gzipped or not,
 * - `{ pairs }`: a pairs manifest (`anchor,positive` paths per row); label = the pair's group (see readPairs).
 */
export type ImageSource =
  | { folder: string }
  | { manifest: string }
  | { idx: { images: string; labels: string } }
  | { pairs: string };

/** Options for {@link loadImages} / {@link writeImages}. */
export interface LoadOptions {
  /** Square output size in pixels (sets width and height). */
  size?: number;
  /** Output width; defaults to `size`, else the median of 32 sampled images (longer side at most 1024). */
  width?: number;
  /** Output height; defaults to `size`, else the median of 32 sampled images (longer side at most 1024). */
  height?: number;
  /** Output channels: 1 (grayscale) or 3 (RGB). Default 3, or 1 for IDX input. */
  channels?: 1 | 3;
  /** Default `cover`: scale to cover the output, centre-crop the overflow (torchvision Resize+CenterCrop). */
  fit?: Fit;
  /** Default `linear` (antialiased bilinear, as torchvision's default Resize). */
  kernel?: Kernel;
  /** Rows per Arrow record batch. Default: as many as fit in 32 MiB of pixels, between 16 and 1024. */
  batchRows?: number;
  /**
   * Decoding threads (worker threads). Default: the machine's available parallelism, one per 256 images for small
   * jobs (a worker costs ~0.1 s to start); 1 = decode in this thread. An explicit value is honoured.
   */
  concurrency?: number;
  /** Stop at the first bad file with an `E_IMAGE` error instead of skipping it. */
  strict?: boolean;
  /** Images with more pixels than this are bad files. Default sharp's 268402689 (16383 × 16383). */
  limitInputPixels?: number;
  /** sharp's sensitivity to invalid pixel data. Default `warning` (sharp's default): truncated/corrupt → bad file. */
  failOn?: FailOn;
  /** Called as images are done (for progress bars). */
  onProgress?: (done: number, total: number) => void;
  /** Called for every bad file skipped. */
  onBadFile?: (bad: BadFile) => void;
  /** Aborts the run (the output is not written). */
  signal?: AbortSignal;
  /**
   * Load only shard `index` of `count` of the input (contiguous, in input order; sizes differ by at most one). Every
   * shard lists the whole input, so class ids and the output size are those of a single run, and the parts read as
   * one dataset (openImages on their folder) equal it row for row.
   */
  shard?: { index: number; count: number };
}

/** A file that was skipped (or, with `strict`, stopped the run). */
export interface BadFile {
  /** Input index (position in the listing / manifest / IDX file); -1 for a folder entry that was not listed. */
  index: number;
  /** Path as in the output's `path` column. */
  path: string;
  /**
   * Short stable reason: `empty`, `unreadable`, `not-an-image`, `too-many-pixels`, `corrupt`, `truncated`; for folder
   * entries `symlink-loop`, `dangling-link`, `outside-class`, `already-listed`.
   */
  reason: string;
  /** The decoder's message. */
  message: string;
}

/** What a load run did. */
export interface LoadSummary {
  output?: string;
  format?: 'file' | 'stream';
  /** Images listed in the input. */
  total: number;
  /** Rows written. */
  rows: number;
  /** Bad files skipped. */
  skipped: number;
  /** Files in the folder ignored because their extension is not an image format. */
  ignored: number;
  batches: number;
  height: number;
  width: number;
  channels: number;
  /** How the output size was chosen when no size was given (e.g. "median size of 32 sampled images"). */
  sizeRule?: string;
  classes: string[];
  /** Rows per class, in class order. */
  classCounts: number[];
  badFiles: BadFile[];
  errorsPath?: string;
  seconds: number;
  imagesPerSecond: number;
}
