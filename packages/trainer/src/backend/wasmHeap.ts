/**
 * Direct access to the wasm backend's heap, for the few memory-bound kernels that a plain JS loop does faster than
 * a chain of wasm Slice/Concat/Transpose calls (each of which makes a full pass over memory).
 */
import type * as tf from '@tensorflow/tfjs-core';

/** The parts of BackendWasm these kernels use (it is not exported with types we can import without the backend). */
export interface WasmBackendLike extends tf.KernelBackend {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  dataIdMap: { get(dataId: object): { memoryOffset: number } };
  wasm: { HEAPU8: Uint8Array };
  disposeData(dataId: object, force?: boolean): boolean;
}

/** A Float32Array view of a tensor on the wasm heap. Re-take views after any allocation (the heap may grow). */
export function heapF32(backend: WasmBackendLike, t: tf.TensorInfo): Float32Array {
  const { memoryOffset } = backend.dataIdMap.get(t.dataId);
  const size = t.shape.reduce((a, b) => a * b, 1);
  return new Float32Array(backend.wasm.HEAPU8.buffer, memoryOffset, size);
}

/**
 * Transposed im2col from a channels-first [C, B, H, W] tensor: out[(fh·FW + fw)·C + c][(b·OH + oy)·OW + ox] =
 * x[c, b, oy·sh + fh·dh − top, ox·sw + fw·dw − left] (0 outside). Channels-first input keeps every read of one
 * output row inside one contiguous image plane (NHWC reads would stride by C and thrash the cache).
 */
export function im2colTInto(xChw: Float32Array, out: Float32Array, info: tf.backend_util.Conv2DInfo): void {
  const { batchSize: B, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = info;
  const { filterHeight: FH, filterWidth: FW, strideHeight: sh, strideWidth: sw } = info;
  const { dilationHeight: dh, dilationWidth: dw } = info;
  const { top, left } = info.padInfo;
  const n = B * OH * OW;
  const plane = H * W;
  for (let fh = 0; fh < FH; fh++) {
    for (let fw = 0; fw < FW; fw++) {
      // Output columns whose input column is inside the image: ox in [oxMin, oxMax).
      const off = fw * dw - left;
      const oxMin = Math.min(OW, Math.max(0, Math.ceil(-off / sw)));
      const oxMax = Math.max(oxMin, Math.min(OW, Math.floor((W - 1 - off) / sw) + 1));
      for (let c = 0; c < C; c++) {
        let o = ((fh * FW + fw) * C + c) * n;
        for (let b = 0; b < B; b++) {
          const base = (c * B + b) * plane;
          for (let oy = 0; oy < OH; oy++) {
            const iy = oy * sh + fh * dh - top;
            if (iy < 0 || iy >= H) {
              out.fill(0, o, o + OW);
              o += OW;
              continue;
            }
            const row = base + iy * W + off;
            for (let ox = 0; ox < oxMin; ox++) out[o++] = 0;
            if (sw === 1) {
              for (let ox = oxMin; ox < oxMax; ox++) out[o++] = xChw[row + ox];
            } else {
              for (let ox = oxMin; ox < oxMax; ox++) out[o++] = xChw[row + ox * sw];
            }
            for (let ox = oxMax; ox < OW; ox++) out[o++] = 0;
          }
        }
      }
    }
  }
}

/**
 * Max-pool input gradient, NHWC: each output's gradient goes to the first maximum of its window in row-major order
 * (the cpu backend's rule), accumulated where windows overlap.
 */
export function maxPoolGradInto(
  x: Float32Array,
  dy: Float32Array,
  dx: Float32Array,
  info: tf.backend_util.Conv2DInfo,
): void {
  const { batchSize: B, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = info;
  const { filterHeight: FH, filterWidth: FW, strideHeight: sh, strideWidth: sw } = info;
  const { top, left } = info.padInfo;
  if (FH === 2 && FW === 2 && sh === 2 && sw === 2 && top === 0 && left === 0 && H === 2 * OH && W === 2 * OW) {
    maxPool2x2GradInto(x, dy, dx, B, OH, OW, C);
    return;
  }
  dx.fill(0);
  // Channels innermost: every window position is one contiguous run of C values.
  const best = new Float32Array(C);
  const pos = new Int32Array(C);
  let g = 0;
  for (let b = 0; b < B; b++) {
    const xb = b * H * W * C;
    for (let oy = 0; oy < OH; oy++) {
      const y0 = oy * sh - top;
      const yMin = Math.max(0, y0);
      const yMax = Math.min(H, y0 + FH);
      for (let ox = 0; ox < OW; ox++, g += C) {
        const x0 = ox * sw - left;
        const xMin = Math.max(0, x0);
        const xMax = Math.min(W, x0 + FW);
        best.fill(Number.NEGATIVE_INFINITY);
        pos.fill(-1);
        for (let iy = yMin; iy < yMax; iy++) {
          for (let ix = xMin; ix < xMax; ix++) {
            const p = xb + (iy * W + ix) * C;
            for (let c = 0; c < C; c++) {
              const v = x[p + c];
              if (v > best[c]) {
                best[c] = v;
                pos[c] = p + c;
              }
            }
          }
        }
        for (let c = 0; c < C; c++) if (pos[c] >= 0) dx[pos[c]] += dy[g + c];
      }
    }
  }
}

/** The common 2×2/stride-2 pool, unrolled: windows tile the input exactly, so every dx value is written once. */
function maxPool2x2GradInto(
  x: Float32Array,
  dy: Float32Array,
  dx: Float32Array,
  B: number,
  OH: number,
  OW: number,
  C: number,
): void {
  const W = 2 * OW;
  let g = 0;
  for (let b = 0; b < B; b++) {
    for (let oy = 0; oy < OH; oy++) {
      for (let ox = 0; ox < OW; ox++, g += C) {
        const p00 = ((b * 2 * OH + 2 * oy) * W + 2 * ox) * C;
        const p01 = p00 + C;
        const p10 = p00 + W * C;
        const p11 = p10 + C;
        for (let c = 0; c < C; c++) {
          const v00 = x[p00 + c];
          const v01 = x[p01 + c];
          const v10 = x[p10 + c];
          const v11 = x[p11 + c];
          // First strict maximum in row-major order (NaN never wins, as in the cpu backend).
          let k = v00 > Number.NEGATIVE_INFINITY ? 0 : -1;
          let m = k === 0 ? v00 : Number.NEGATIVE_INFINITY;
          if (v01 > m) {
            m = v01;
            k = 1;
          }
          if (v10 > m) {
            m = v10;
            k = 2;
          }
          if (v11 > m) k = 3;
          const d = dy[g + c];
          dx[p00 + c] = k === 0 ? d : 0;
          dx[p01 + c] = k === 1 ? d : 0;
          dx[p10 + c] = k === 2 ? d : 0;
          dx[p11 + c] = k === 3 ? d : 0;
        }
      }
    }
  }
}

/** Column sums of a row-major [n, c] matrix, accumulated in float64 (order-independent to float32 rounding). */
export function columnSumsInto(x: Float32Array, n: number, c: number, out: Float32Array): void {
  const acc = new Float64Array(c);
  let p = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < c; j++) acc[j] += x[p++];
  }
  out.set(acc);
}
