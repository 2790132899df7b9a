/**
 * Loads the optional native tile kernel (packages/miner/native: prebuilt in the published package, or compiled at
 * install by scripts/build-native.mjs). Any failure — no binary for this platform, a stale build, TRIPLETKIT_NATIVE=0
 * — leaves the pure-TS kernel in charge and records why, for kernelInfo().
 */
import { fileURLToPath } from 'node:url';
import { type AddonLoad, loadAddon } from '@tripletkit/common';
import type { jsDistanceTile } from './jsKernel.ts';

/** What the addon exports (native/src/addon.c). */
export interface NativeAddon {
  /** Same contract (and arguments) as jsDistanceTile; kind is 0 euclidean, 1 squared-euclidean, 2 cosine. */
  tile(...args: Parameters<typeof jsDistanceTile>): void;
  /**
   * The margin strategies' window selection for rows live[0…nLive−1] of a tile (native twin of
   * WindowSelector.scanRow; see native/src/select.c): row q's records at out*[rowEnd[q−1] … rowEnd[q]−1].
   */
  select(
    ...args: [
      ...SelectBlockArgs,
      live: Int32Array,
      nLive: number,
      outN: Int32Array,
      outX: Float32Array,
      outA: Int32Array,
      outB: Int32Array,
      rowEnd: Int32Array,
    ]
  ): void;
  /**
   * The same scan feeding a reservoir sampler (SamplePerAnchor): resumes rows live[pend[r]] at candidate pos[…], adds
   * their items to seen[row] and stops each at its first event (items reaching next[row]). Returns how many rows
   * stopped; they are compacted to the front of pend with their event at ev*[r].
   */
  sample(
    ...args: [
      ...SelectBlockArgs,
      live: Int32Array,
      pend: Int32Array,
      nPend: number,
      pos: Int32Array,
      seen: Float64Array,
      next: Float64Array,
      evN: Int32Array,
      evX: Float32Array,
      evA: Int32Array,
      evItems: Int32Array,
    ]
  ): number;
  /**
   * The triplets of an anchor's positives q0 … q1−1 (row order) from its records, written at out*[w …]; returns the
   * position after them (native twin of expandAnchor/expandPositive in src/strategies/expandRecords.ts). Absent from
   * builds before it existed, which then use the TypeScript expansion.
   */
  expand?(
    ...args: [
      neg: Int32Array,
      x: Float32Array,
      lo: Int32Array,
      hi: Int32Array,
      nRec: number,
      row: Int32Array,
      val: Float32Array,
      slot: Int32Array,
      s: number,
      np: number,
      a: number,
      signBit: number,
      q0: number,
      q1: number,
      anchors: Int32Array,
      positives: Int32Array,
      negatives: Int32Array,
      dAp: Float32Array,
      dAn: Float32Array,
      w: number,
      scratch: Int32Array,
    ]
  ): number;
  /**
   * Asks for transparent huge pages on the aligned interior of a fresh array's memory, before it is first written
   * (native/src/pages.c). Returns whether the advice was taken. Absent from builds before it existed.
   */
  adviseHugePages?(view: ArrayBufferView): boolean;
  /** The micro-kernel picked by cpuid: "avx512", "avx2" or "scalar". */
  info(): {
    isa: string;
    simd: boolean;
    version: number;
    /** select/sample find A and B without the bucket tables for rows of up to this many positives (0: never). */
    selectFastMax: number;
  };
}

/**
 * One anchor block's selection inputs for one candidate tile (see WindowSelector): the tile, its candidate count and
 * first row, sign (0: +1, 1: −1), bounds (1: lower, 2: upper), candidate classes, the block's anchor classes, then the
 * block's positives and threshold tables.
 */
export type SelectBlockArgs = [
  tile: Float32Array,
  cnt: number,
  c0: number,
  sign: number,
  flags: number,
  candClass: Int32Array,
  rowClass: Int32Array,
  start: Int32Array,
  ta: Float32Array,
  tb: Float32Array,
  tabStart: Int32Array,
  tabA: Int32Array,
  tabB: Int32Array,
  gmin: Float64Array,
  scale: Float64Array,
];

/** Bumped whenever the addon's interface changes, so a stale build is refused rather than misused. */
export const NATIVE_VERSION = 2;

/** Where a locally compiled addon lies (the build script's output; a prebuilt one is looked up first). */
export const NATIVE_PATH = fileURLToPath(new URL('../../native/build/tripletkit_kernel.node', import.meta.url));

export type NativeLoad = AddonLoad<NativeAddon>;

/**
 * Tries the addon once through common's loader (prebuilds/, then native/build/); `path` replaces the lookup (tests).
 * Never throws.
 *
 * @example
 * const { addon, reason } = loadNative();
 */
export function loadNative(path?: string): NativeLoad {
  return loadAddon<NativeAddon>({
    name: 'miner',
    pkg: '@tripletkit/miner',
    file: 'tripletkit_kernel',
    root: new URL('../../', import.meta.url),
    fallback: 'using the pure-TS kernel',
    paths: path === undefined ? undefined : [path],
    accept: (addon) => {
      const v = addon.info().version;
      return v === NATIVE_VERSION ? undefined : `is stale (version ${v}, expected ${NATIVE_VERSION}; rebuild it)`;
    },
  });
}
