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
let scratchA = new Float32Array(0);
let scratchB = new Float32Array(0);

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
  let na = aNorms;
  let nb = bNorms;
  if (!distance.needsNorms) {
    // Norms are unused; hand the kernel something of the right type.
    na = scratchA;
    nb = scratchB;
  } else {
    if (na === undefined) {
      if (scratchA.length < aRows) scratchA = new Float32Array(aRows);
      squaredNormsInto(a, aRows, dim, scratchA);
      na = scratchA;
    } else if (!(na instanceof Float32Array) || na.length < aRows) {
      invalidArgument('aNorms', `Float32Array of at least ${aRows} values`, na);
    }
    if (nb === undefined) {
      if (scratchB.length < bRows) scratchB = new Float32Array(bRows);
      squaredNormsInto(b, bRows, dim, scratchB);
      nb = scratchB;
    } else if (!(nb instanceof Float32Array) || nb.length < bRows) {
      invalidArgument('bNorms', `Float32Array of at least ${bRows} values`, nb);
    }
  }
  kernel(a, aRows, b, bRows, dim, code, out, na, nb);
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
