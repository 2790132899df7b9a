import { expectOneOf, expectPositiveInteger, invalidArgument, TripletkitError } from '@tripletkit/common';
import { checkMatrix } from '../distances/checks.ts';
import { l2Normalize } from '../distances/l2Normalize.ts';
import { DISTANCE_KINDS, type DistanceKind, getDistance } from '../distances/registry.ts';

/** Labels as the metrics accept them: any integer array-like (Int32Array, number[]). */
export type Labels = ArrayLike<number>;

/** Validates an embedding matrix (finite values only) and returns its row count. */
export function checkEmbeddings(name: string, x: unknown, dim: number): number {
  const rows = checkMatrix(name, x, dim);
  const a = x as Float32Array;
  for (let i = 0; i < a.length; i++) {
    if (!Number.isFinite(a[i])) {
      // A NaN would silently sort anywhere and corrupt every neighbour list it touches.
      throw new TripletkitError(
        'E_DATA',
        `Row ${Math.floor(i / dim)} of ${name} has a non-finite value (${a[i]}) in its embedding.`,
        { hint: 'Check the model or file that produced these embeddings.' },
      );
    }
  }
  return rows;
}

/** Validates `rows` integer labels and returns them as an Int32Array. */
export function checkLabels(name: string, labels: unknown, rows: number): Int32Array {
  if (labels === null || typeof labels !== 'object' || typeof (labels as Labels).length !== 'number') {
    invalidArgument(name, 'an array of integer labels', labels);
  }
  const l = labels as Labels;
  if (l.length !== rows) {
    invalidArgument(`${name}.length`, `one label per embedding row (${rows})`, l.length);
  }
  const out = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    const v = l[i];
    if (!Number.isInteger(v)) invalidArgument(`${name}[${i}]`, 'an integer label', v);
    out[i] = v;
  }
  return out;
}

/** Validated embeddings with one label per row. */
export interface Labelled {
  rows: number;
  labels: Int32Array;
}

/**
 * Validates embeddings with one integer label per row: their row count and the labels as an Int32Array.
 *
 * @example
 * const { rows, labels } = checkLabelled('embeddings', emb, 64, 'labels', rawLabels);
 */
export function checkLabelled(name: string, x: unknown, dim: number, labelsName: string, labels: unknown): Labelled {
  const rows = checkEmbeddings(name, x, dim);
  return { rows, labels: checkLabels(labelsName, labels, rows) };
}

/** Common options of the metrics: distance kind, optional normalisation, block sizes. */
export interface DistanceOptions {
  /**
   * `euclidean` (default, as PML's AccuracyCalculator with faiss L2 search), `squared-euclidean` (same order) or
   * `cosine` (similarity on L2-normalised rows; larger is closer).
   */
  distance?: DistanceKind;
  /** L2-normalise rows before a Euclidean search (cosine always normalises). Default false, as PML. */
  normalize?: boolean;
  /** Queries per block (bounds memory with k). Default: chosen so a block holds about 4M neighbours. */
  queryBlock?: number;
  /** References per distance tile. Default 1024. */
  referenceBlock?: number;
}

/** Validated {@link DistanceOptions}. */
export interface ResolvedDistance {
  distance: DistanceKind;
  normalize: boolean;
  queryBlock: number | undefined;
  referenceBlock: number;
}

export function resolveDistance(options: DistanceOptions): ResolvedDistance {
  const distance = expectOneOf('distance', options.distance ?? 'euclidean', DISTANCE_KINDS);
  const normalize = options.normalize ?? false;
  if (typeof normalize !== 'boolean') invalidArgument('normalize', 'boolean', normalize);
  const queryBlock =
    options.queryBlock === undefined ? undefined : expectPositiveInteger('queryBlock', options.queryBlock);
  const referenceBlock = expectPositiveInteger('referenceBlock', options.referenceBlock ?? 1024);
  return { distance, normalize, queryBlock, referenceBlock };
}

/** Whether the search sees normalised rows: always for a distance that says so (cosine), else when asked. */
export function normalizes(o: Pick<DistanceOptions, 'normalize'> & { distance: DistanceKind }): boolean {
  return getDistance(o.distance).searchNormalizes || Boolean(o.normalize);
}

/** The rows the search sees: normalised for cosine (always) or when asked. */
export function prepare(x: Float32Array, dim: number, o: ResolvedDistance): Float32Array {
  return normalizes(o) ? l2Normalize(x, dim) : x;
}

/**
 * For the metrics that score pairs directly (no block search, so no block options): the distance `options` name
 * (checked; default euclidean) and the rows it compares, normalised as {@link prepare} does.
 *
 * @example
 * const { kind, x } = distanceRows(emb, 64, { distance: 'cosine' }); // x: the rows L2-normalised
 */
export function distanceRows(
  x: Float32Array,
  dim: number,
  options: Pick<DistanceOptions, 'distance' | 'normalize'>,
): { kind: DistanceKind; x: Float32Array } {
  const kind = expectOneOf('distance', options.distance ?? 'euclidean', DISTANCE_KINDS);
  return { kind, x: normalizes({ distance: kind, normalize: options.normalize }) ? l2Normalize(x, dim) : x };
}

/** Query block size: explicit, or about 4M kept neighbours per block (32 MB), between 1 and 256 queries. */
export function queryBlockFor(o: ResolvedDistance, k: number): number {
  if (o.queryBlock !== undefined) return o.queryBlock;
  return Math.max(1, Math.min(256, Math.floor(4_000_000 / Math.max(1, k))));
}
