/**
 * The optional native GEMM/im2col addon (packages/trainer/native: prebuilt in the package, or compiled at install by
 * scripts/build-native.mjs with the system C compiler; AVX-512, AVX2+FMA or scalar chosen by cpuid). It runs the convolutions of the wasm
 * backend about twice as fast as wasm's SIMD (which has no FMA and 128-bit vectors), working in place on the wasm
 * heap. Absent or disabled (TRIPLETKIT_NATIVE_TRAINER=0), the wasm kernels are used unchanged.
 */
import { loadAddon } from '@tripletkit/common';

/** Input geometry of an NHWC convolution: batch, height, width, channels. */
export type NhwcShape = [b: number, h: number, w: number, c: number];
/** The sliding window of a convolution: strides, dilations, top/left padding and output size. */
export type ConvWindow = [
  sh: number,
  sw: number,
  dh: number,
  dw: number,
  top: number,
  left: number,
  oh: number,
  ow: number,
];

/** What native/src/addon.c exports. Buffers are (ArrayBuffer, byteOffset) pairs. */
export interface NativeGemm {
  /** C[M×N] (+)= op(A)·B, row-major; transA 1: A is K×M. */
  sgemm(
    transA: number,
    m: number,
    n: number,
    k: number,
    aBuf: ArrayBuffer,
    aOff: number,
    lda: number,
    bBuf: ArrayBuffer,
    bOff: number,
    ldb: number,
    cBuf: ArrayBuffer,
    cOff: number,
    ldc: number,
    accumulate: number,
  ): void;
  /** NHWC im2col: out[(b·OH+oy)·OW+ox][(fh·FW+fw)·C+c]. */
  im2col(
    ...args: [
      xBuf: ArrayBuffer,
      xOff: number,
      ...input: NhwcShape,
      fh: number,
      fw: number,
      ...window: ConvWindow,
      outBuf: ArrayBuffer,
      outOff: number,
    ]
  ): void;
  /** Forward NHWC convolution as an implicit GEMM (no im2col matrix). */
  conv2d(
    ...args: [
      xBuf: ArrayBuffer,
      xOff: number,
      ...input: NhwcShape,
      wBuf: ArrayBuffer,
      wOff: number,
      fh: number,
      fw: number,
      co: number,
      ...window: ConvWindow,
      outBuf: ArrayBuffer,
      outOff: number,
    ]
  ): void;
  /** Filter gradient without an im2col matrix; false when this CPU has no fast path for it. Same arguments as conv2d
   * with dy in place of the filter and the filter gradient as output. */
  conv2dFilterGrad(...args: Parameters<NativeGemm['conv2d']>): boolean;
  columnSums(xBuf: ArrayBuffer, xOff: number, n: number, c: number, outBuf: ArrayBuffer, outOff: number): void;
  maxPool2x2Grad(
    xBuf: ArrayBuffer,
    xOff: number,
    dyBuf: ArrayBuffer,
    dyOff: number,
    dxBuf: ArrayBuffer,
    dxOff: number,
    b: number,
    oh: number,
    ow: number,
    c: number,
  ): void;
  biasAdd(
    xBuf: ArrayBuffer,
    xOff: number,
    biasBuf: ArrayBuffer,
    biasOff: number,
    n: number,
    c: number,
    outBuf: ArrayBuffer,
    outOff: number,
  ): void;
  reluGrad(
    xBuf: ArrayBuffer,
    xOff: number,
    dyBuf: ArrayBuffer,
    dyOff: number,
    n: number,
    dxBuf: ArrayBuffer,
    dxOff: number,
  ): void;
  info(): { isa: string; version: number };
}

const VERSION = 5;

let loaded: { addon?: NativeGemm; reason?: string } | undefined;

/**
 * The addon (prebuilt in the package, or compiled at install), or undefined with the reason (never throws).
 *
 * @example
 * const { addon, reason } = loadNativeGemm();
 */
export function loadNativeGemm(): { addon?: NativeGemm; reason?: string } {
  loaded ??= loadAddon<NativeGemm>({
    name: 'trainer',
    pkg: '@tripletkit/trainer',
    file: 'tripletkit_gemm',
    root: new URL('../../', import.meta.url),
    fallback: 'the wasm kernels are used',
    accept: (addon) => {
      const info = addon.info();
      if (info.version !== VERSION) return 'is a stale build; rebuild it';
      // Scalar C loses to wasm's SIMD: only AVX2/AVX-512 builds are worth using.
      return info.isa === 'scalar' ? 'has no SIMD path for this CPU (wasm is faster)' : undefined;
    },
  });
  return loaded;
}
