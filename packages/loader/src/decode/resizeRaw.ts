/**
 * tripletkit's own separable resampler for small images (the tiny-image fast path and IDX), so they skip sharp's
 * per-image pipeline cost (~1 ms). Antialiased like Pillow/torchvision: when shrinking, the kernel is widened by the
 * scale factor. Fixed-point like Pillow (22-bit coefficients, 8-bit intermediate): integer arithmetic, so the
 * TypeScript loops and their C twin (native/src/jpeg.c) give identical bytes on every machine.
 */
import type { Fit, Kernel } from '../types.ts';
import { native } from './native.ts';

const KERNELS: Record<Kernel, { support: number; f: (x: number) => number }> = {
  nearest: { support: 0.5, f: (x) => (x >= -0.5 && x < 0.5 ? 1 : 0) },
  linear: { support: 1, f: (x) => (x < 0 ? (x > -1 ? 1 + x : 0) : x < 1 ? 1 - x : 0) },
  cubic: {
    // Catmull-Rom (a = -0.5), sharp's `cubic`.
    support: 2,
    f: (x) => {
      const a = -0.5;
      x = Math.abs(x);
      if (x < 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
      if (x < 2) return ((x - 5) * x + 8) * x * a - 4 * a;
      return 0;
    },
  },
  lanczos3: {
    support: 3,
    f: (x) => {
      if (x === 0) return 1;
      if (x <= -3 || x >= 3) return 0;
      const px = Math.PI * x;
      return (3 * Math.sin(px) * Math.sin(px / 3)) / (px * px);
    },
  },
};

/** Per output sample: first input index, and normalised weights. */
interface Coefficients {
  start: Int32Array;
  count: Int32Array;
  taps: number;
  /** Weights × 2^22, rounded (Pillow's PRECISION_BITS). */
  weights: Int32Array;
}

const PRECISION_BITS = 22;
const ONE = 1 << PRECISION_BITS;
const HALF = 1 << (PRECISION_BITS - 1);

const cache = new Map<string, Coefficients>();

/** Coefficients mapping `inSize` samples to `outSize`, keeping outputs [from, from + n) (a centre crop). */
function coefficients(inSize: number, outSize: number, from: number, n: number, kernel: Kernel): Coefficients {
  const key = `${inSize},${outSize},${from},${n},${kernel}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const { support: ks, f } = KERNELS[kernel];
  const scale = inSize / outSize;
  const filterScale = Math.max(scale, 1);
  const support = ks * filterScale;
  const maxTaps = Math.ceil(support) * 2 + 1;
  const los = new Int32Array(n);
  const fixed: Int32Array[] = [];
  let taps = 1;
  for (let o = 0; o < n; o++) {
    const center = (o + from + 0.5) * scale;
    let lo = Math.floor(center - support + 0.5);
    let hi = Math.floor(center + support + 0.5);
    if (kernel === 'nearest') {
      lo = Math.min(inSize - 1, Math.max(0, Math.floor(center)));
      hi = lo + 1;
    }
    lo = Math.max(lo, 0);
    hi = Math.min(hi, inSize);
    const m = Math.min(hi - lo, maxTaps);
    let sum = 0;
    const w = new Float64Array(m);
    for (let j = 0; j < m; j++) {
      w[j] = kernel === 'nearest' ? 1 : f((lo + j - center + 0.5) / filterScale);
      sum += w[j];
    }
    let q = new Int32Array(m);
    for (let j = 0; j < m; j++) {
      const v = sum === 0 ? (j === 0 ? 1 : 0) : w[j] / sum;
      q[j] = v < 0 ? Math.trunc(-0.5 + v * ONE) : Math.trunc(0.5 + v * ONE);
    }
    // Zero weights at either end add nothing: drop them so every output needs as few taps as possible.
    let a = 0;
    let b = m;
    while (b - a > 1 && q[a] === 0) a++;
    while (b - a > 1 && q[b - 1] === 0) b--;
    q = q.subarray(a, b);
    los[o] = lo + a;
    fixed.push(q);
    taps = Math.max(taps, q.length);
  }
  // Every output gets the same number of taps (zero-padded, window shifted inside the image): the inner loops then
  // have a fixed trip count, which the C twin unrolls. Zero weights leave the integer sums unchanged.
  const count = new Int32Array(n).fill(Math.min(taps, inSize));
  const start = new Int32Array(n);
  const weights = new Int32Array(n * taps);
  for (let o = 0; o < n; o++) {
    const lo = Math.max(0, Math.min(los[o], inSize - taps));
    start[o] = lo;
    weights.set(fixed[o], o * taps + (los[o] - lo));
  }
  const c: Coefficients = { start, count, taps, weights };
  if (cache.size > 256) cache.clear();
  cache.set(key, c);
  return c;
}

/**
 * Where the resized image lands in the output: its scaled size and the crop (cover) or offset (contain).
 *
 * @example
 * fitGeometry(100, 50, 40, 40, 'cover'); // { rw: 80, rh: 40, cropX: 20, cropY: 0, … }
 */
export function fitGeometry(
  w: number,
  h: number,
  outW: number,
  outH: number,
  fit: Fit,
): { rw: number; rh: number; cropX: number; cropY: number; padX: number; padY: number; cw: number; ch: number } {
  if (fit === 'fill') return { rw: outW, rh: outH, cropX: 0, cropY: 0, padX: 0, padY: 0, cw: outW, ch: outH };
  if (fit === 'cover') {
    const s = Math.max(outW / w, outH / h);
    const rw = Math.max(outW, Math.round(w * s));
    const rh = Math.max(outH, Math.round(h * s));
    const cropX = Math.floor((rw - outW) / 2);
    const cropY = Math.floor((rh - outH) / 2);
    return { rw, rh, cropX, cropY, padX: 0, padY: 0, cw: outW, ch: outH };
  }
  const s = Math.min(outW / w, outH / h);
  const rw = Math.max(1, Math.min(outW, Math.round(w * s)));
  const rh = Math.max(1, Math.min(outH, Math.round(h * s)));
  return {
    rw,
    rh,
    cropX: 0,
    cropY: 0,
    padX: Math.floor((outW - rw) / 2),
    padY: Math.floor((outH - rh) / 2),
    cw: rw,
    ch: rh,
  };
}

/**
 * Resizes row-major HWC Uint8 pixels into `out` (outH × outW × c, written at `outOffset`). Contain padding is black.
 *
 * @example
 * resizeRaw(src, 28, 28, 1, out, 0, 64, 64, 'cover', 'linear');
 * // allowNative = false forces the TypeScript loops (the C twin gives identical bytes).
 */
export function resizeRaw(
  src: Uint8Array,
  w: number,
  h: number,
  c: number,
  out: Uint8Array,
  outOffset: number,
  outW: number,
  outH: number,
  fit: Fit,
  kernel: Kernel,
  allowNative = true,
): void {
  const g = fitGeometry(w, h, outW, outH, fit);
  if (g.padX || g.padY || g.cw !== outW || g.ch !== outH) out.fill(0, outOffset, outOffset + outW * outH * c);
  if (w === g.rw && h === g.rh) {
    // Same size: copy the (cropped) window.
    for (let y = 0; y < g.ch; y++) {
      const s = ((y + g.cropY) * w + g.cropX) * c;
      out.set(src.subarray(s, s + g.cw * c), outOffset + ((y + g.padY) * outW + g.padX) * c);
    }
    return;
  }
  const hx = coefficients(w, g.rw, g.cropX, g.cw, kernel);
  const vy = coefficients(h, g.rh, g.cropY, g.ch, kernel);
  // Horizontal pass over only the input rows the vertical pass needs.
  const yLo = vy.start[0];
  const yHi = vy.start[g.ch - 1] + vy.count[g.ch - 1];
  if (native && allowNative) {
    // The same integer arithmetic in C: identical pixels, several times faster.
    native.resample(
      src,
      w,
      c,
      yLo,
      yHi,
      hx.start,
      hx.count,
      hx.taps,
      hx.weights,
      vy.start,
      vy.count,
      vy.taps,
      vy.weights,
      g.cw,
      g.ch,
      out,
      outOffset,
      outW,
      g.padX,
      g.padY,
    );
    return;
  }
  const rowLen = g.cw * c;
  const tmp = new Uint8Array((yHi - yLo) * rowLen);
  horizontal(src, w * c, c, yLo, yHi, hx, g.cw, tmp);
  for (let y = 0; y < g.ch; y++) {
    const s0 = vy.start[y] - yLo;
    const n = vy.count[y];
    const wo = y * vy.taps;
    const o = outOffset + ((y + g.padY) * outW + g.padX) * c;
    for (let i = 0; i < rowLen; i++) {
      let a = HALF;
      for (let j = 0; j < n; j++) a += vy.weights[wo + j] * tmp[(s0 + j) * rowLen + i];
      out[o + i] = clip8(a);
    }
  }
}

/** Fixed-point accumulator → byte (Pillow's clip8). */
function clip8(a: number): number {
  const v = a >> PRECISION_BITS;
  return v <= 0 ? 0 : Math.min(v, 255);
}

/** Horizontal resampling of rows [yLo, yHi) into `tmp` (specialised for 1 and 3 channels: the hot loops). */
function horizontal(
  src: Uint8Array,
  srcRow: number,
  c: number,
  yLo: number,
  yHi: number,
  hx: Coefficients,
  cw: number,
  tmp: Uint8Array,
): void {
  const { start, count, taps, weights } = hx;
  let t = 0;
  for (let y = yLo; y < yHi; y++) {
    const row = y * srcRow;
    if (c === 1) {
      for (let x = 0; x < cw; x++) {
        const s0 = row + start[x];
        const n = count[x];
        const wo = x * taps;
        let a = HALF;
        for (let j = 0; j < n; j++) a += weights[wo + j] * src[s0 + j];
        tmp[t++] = clip8(a);
      }
    } else if (c === 3) {
      for (let x = 0; x < cw; x++) {
        let s0 = row + start[x] * 3;
        const n = count[x];
        const wo = x * taps;
        let r = HALF;
        let g = HALF;
        let b = HALF;
        for (let j = 0; j < n; j++, s0 += 3) {
          const wt = weights[wo + j];
          r += wt * src[s0];
          g += wt * src[s0 + 1];
          b += wt * src[s0 + 2];
        }
        tmp[t++] = clip8(r);
        tmp[t++] = clip8(g);
        tmp[t++] = clip8(b);
      }
    } else {
      for (let x = 0; x < cw; x++) {
        const s0 = row + start[x] * c;
        const n = count[x];
        const wo = x * taps;
        for (let k = 0; k < c; k++) {
          let a = HALF;
          for (let j = 0; j < n; j++) a += weights[wo + j] * src[s0 + j * c + k];
          tmp[t++] = clip8(a);
        }
      }
    }
  }
}
