/**
 * The optional native helpers (native/src/jpeg.c, prebuilt in the package or built by scripts/build-native.mjs): JPEG
 * decoding at a reduced DCT scale and the C twin of resizeRaw. Absent (no compiler or libjpeg at install) or disabled with
 * TRIPLETKIT_NATIVE_LOADER=0 → undefined, and the loader uses sharp and the TypeScript resampler.
 */
import { loadAddon } from '@tripletkit/common';

/** What the addon exports. */
export interface NativeHelpers {
  /** [width, height, EXIF orientation, supported (1/0)] from the header, or null when it is not a readable JPEG. */
  jpegInfo(buf: Uint8Array): [number, number, number, number] | null;
  /**
   * Decodes at scale/8 (RGB, or gray when `gray` is 1) into `out`; returns [width, height], or null (too small a
   * buffer, unsupported, any warning or error). `flags` 0 = libjpeg defaults (accurate IDCT, fancy upsampling).
   */
  jpegDecode(buf: Uint8Array, scale: number, gray: number, flags: number, out: Uint8Array): [number, number] | null;
  /** Inflates one zlib stream into `dst`; bytes written, or -1 (corrupt, or `dst` too small). Absent without zlib. */
  inflate?(src: Uint8Array, dst: Uint8Array): number;
  /** EXIF orientation 2–8 of `src` (w × h × c) into `dst`, exactly as orient.ts. */
  orient(src: Uint8Array, w: number, h: number, c: number, orientation: number, dst: Uint8Array): void;
  resample(
    src: Uint8Array,
    w: number,
    c: number,
    yLo: number,
    yHi: number,
    hStart: Int32Array,
    hCount: Int32Array,
    hTaps: number,
    hWeights: Int32Array,
    vStart: Int32Array,
    vCount: Int32Array,
    vTaps: number,
    vWeights: Int32Array,
    cw: number,
    ch: number,
    out: Uint8Array,
    outOffset: number,
    outW: number,
    padX: number,
    padY: number,
  ): void;
}

/** The native helpers or why they are not used (common's addon loader: prebuilds/, then native/build/). */
export const nativeLoad = loadAddon<NativeHelpers>({
  name: 'loader',
  pkg: '@tripletkit/loader',
  file: 'tripletkit_loader',
  // Same relative location from src/decode/ (sources) and dist/decode/ (build).
  root: new URL('../../', import.meta.url),
  fallback: 'using sharp',
});

/** The native helpers, or undefined when unavailable. */
export const native: NativeHelpers | undefined = nativeLoad.addon;
