import { expectNonNegativeInteger, expectPositiveInteger, invalidArgument } from '@tripletkit/common';
import { checkRows } from './checks.ts';
import { jsDistanceTile } from './jsKernel.ts';
import { loadNative } from './nativeKernel.ts';
import { type DistanceKind, getDistance } from './registry.ts';
import { squaredNormsInto } from './squaredNorms.ts';

type Kernel = typeof jsDistanceTile;

// Chosen once per thread (the main thread and each worker load this module separately).
const native = loadNative();
/** The addon when this thread uses it (internal: WindowSelector runs its selection there too). */
export const nativeAddon = native.addon;
const kernel: Kernel = native.addon ? native.addon.tile.bind(native.addon) : jsDistanceTile;

// Grow-only scratch for norms the caller did not supply, so a call allocates nothing in steady state.
const scratch = [new Float32Array(0), new Float32Array(0)];

/**
 * Computes one tile of pairwise distances: `out[i*bRows + j] = distance(row i of a, row j of b)`.
 *
 * - `euclidean` = √max(0, ‖a‖² + ‖b‖² − 2a·b), `squared-euclidean` = max(0, ‖a‖² + ‖b‖² − 2a·b),
 *   `cosine` = a·b (normalise the inputs first with {@link l2Normalize} unless the user asked for raw dot products,
 *   as PML's `CosineSimilarity(normalize_embeddings=False)`).
 * - `aNorms`/`bNorms` are the {@link squaredNorms} of exactly these rows (computed here when absent; unused for
 *   distances without norms, such as cosine). Pass them when the same rows meet many tiles.
 * - Deterministic: element (i, j) is bitwise the same whatever the tile's shape or position, in any thread.
 *
 * @example
 * const out = new Float32Array(2 * 3);
 * distanceTile(anchors, 2, candidates, 3, 128, 'euclidean', out);
 */
export function distanceTile(
  a: Float32Array,
  aRows: number,
  b: Float32Array,
  bRows: number,
  dim: number,
  kind: DistanceKind,
  out: Float32Array,
  aNorms?: Float32Array,
  bNorms?: Float32Array,
): void {
  const distance = getDistance(kind, 'kind');
  const code = distance.kernel;
  expectNonNegativeInteger('aRows', aRows);
  expectNonNegativeInteger('bRows', bRows);
  expectPositiveInteger('dim', dim);
  checkRows('a', a, aRows, dim);
  checkRows('b', b, bRows, dim);
  checkRows('out', out, aRows, bRows);
  if (aRows === 0 || bRows === 0) return;
  // Norms are unused by some distances; the kernel is then handed scratch of the right type.
  const na = distance.needsNorms ? normsOf('aNorms', aNorms, a, aRows, dim, 0) : scratch[0];
  const nb = distance.needsNorms ? normsOf('bNorms', bNorms, b, bRows, dim, 1) : scratch[1];
  kernel(a, aRows, b, bRows, dim, code, out, na, nb);
}

/** The caller's norms of x's rows after checking them, or computed into scratch[slot] when absent. */
function normsOf(
  name: string,
  given: Float32Array | undefined,
  x: Float32Array,
  rows: number,
  dim: number,
  slot: number,
): Float32Array {
  if (given === undefined) {
    if (scratch[slot].length < rows) scratch[slot] = new Float32Array(rows);
    squaredNormsInto(x, rows, dim, scratch[slot]);
    return scratch[slot];
  }
  if (!(given instanceof Float32Array) || given.length < rows) {
    invalidArgument(name, `Float32Array of at least ${rows} values`, given);
  }
  return given;
}

/**
 * Which tile kernel this thread uses, and why the fast one is not in use when it is not.
 *
 * @example
 * kernelInfo(); // { kernel: 'native-avx512', simd: true }  or  { kernel: 'js', simd: false, fallbackReason: '…' }
 */
export function kernelInfo(): { kernel: string; simd: boolean; fallbackReason?: string } {
  if (native.addon) {
    const info = native.addon.info();
    return { kernel: `native-${info.isa}`, simd: info.simd };
  }
  return { kernel: 'js', simd: false, fallbackReason: native.reason };
}
