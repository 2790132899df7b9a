/**
 * A minimal PNG decoder for small images (the tiny-image fast path): CRC-checked chunks, zlib via node:zlib, all
 * filter types, bit depths 1–16, gray/RGB/palette with or without alpha. It returns `undefined` for anything it does
 * not handle exactly (interlaced, ICC profiles, EXIF orientation, colour → gray, bad CRC, inflate errors, large
 * images); the caller then uses sharp, which also words the error for a bad file.
 */
import { crc32, inflateSync } from 'node:zlib';
import { native } from './native.ts';

// Reused inflate output (per thread): the fast path allocates only its result.
let inflateBuf = new Uint8Array(0);

/** Largest image (in pixels) the fast path takes; bigger ones amortise sharp's per-image cost anyway. */
export const SMALL_PNG_MAX_PIXELS = 256 * 256;

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** True when `buf` starts with the PNG signature. */
export function isPng(buf: Uint8Array): boolean {
  if (buf.length < 8) return false;
  for (let i = 0; i < 8; i++) if (buf[i] !== SIGNATURE[i]) return false;
  return true;
}

/** Decoded pixels: 8-bit, `channels` (1 or 3) per pixel, alpha composited over white. */
export interface SmallImage {
  width: number;
  height: number;
  channels: number;
  pixels: Uint8Array;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Reverses PNG filtering in place; returns the unfiltered scanlines (without filter bytes) or undefined. */
function unfilter(data: Uint8Array, height: number, stride: number, bpp: number): Uint8Array | undefined {
  if (data.length < height * (stride + 1)) return undefined;
  const out = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const ft = data[y * (stride + 1)];
    const line = y * (stride + 1) + 1;
    const o = y * stride;
    const p = o - stride;
    for (let x = 0; x < stride; x++) {
      const raw = data[line + x];
      const a = x >= bpp ? out[o + x - bpp] : 0;
      const b = y > 0 ? out[p + x] : 0;
      const c = y > 0 && x >= bpp ? out[p + x - bpp] : 0;
      let v: number;
      switch (ft) {
        case 0:
          v = raw;
          break;
        case 1:
          v = raw + a;
          break;
        case 2:
          v = raw + b;
          break;
        case 3:
          v = raw + ((a + b) >> 1);
          break;
        case 4:
          v = raw + paeth(a, b, c);
          break;
        default:
          return undefined;
      }
      out[o + x] = v & 255;
    }
  }
  return out;
}

/** Alpha-composites `v` over white (sharp's flatten with a white background). */
function overWhite(v: number, a: number): number {
  return Math.round((v * a + 255 * (255 - a)) / 255);
}

/**
 * Decodes a small PNG into 8-bit `wantChannels` (1 or 3), or returns undefined when sharp should handle it.
 *
 * @example
 * const img = decodeSmallPng(fs.readFileSync('digit.png'), 1); // { width: 28, height: 28, channels: 1, pixels }
 */
export function decodeSmallPng(buf: Uint8Array, wantChannels: number): SmallImage | undefined {
  if (!isPng(buf)) return undefined;
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let pos = 8;
  let width = 0;
  let height = 0;
  let depth = 0;
  let colorType = -1;
  let palette: Uint8Array | undefined;
  let trns: Uint8Array | undefined;
  const idat: Uint8Array[] = [];
  let ended = false;
  while (pos + 12 <= buf.length) {
    const len = view.getUint32(pos);
    if (pos + 12 + len > buf.length) return undefined;
    const type = String.fromCharCode(buf[pos + 4], buf[pos + 5], buf[pos + 6], buf[pos + 7]);
    const body = buf.subarray(pos + 8, pos + 8 + len);
    if (crc32(buf.subarray(pos + 4, pos + 8 + len)) !== view.getUint32(pos + 8 + len)) return undefined;
    pos += 12 + len;
    if (type === 'IHDR') {
      if (len !== 13) return undefined;
      width = view.getUint32(pos - 12 - len + 8);
      height = view.getUint32(pos - 12 - len + 12);
      depth = body[8];
      colorType = body[9];
      if (body[10] !== 0 || body[11] !== 0 || body[12] !== 0) return undefined; // interlaced or unknown method
      if (width === 0 || height === 0 || width * height > SMALL_PNG_MAX_PIXELS) return undefined;
    } else if (type === 'PLTE') palette = body;
    else if (type === 'tRNS') trns = body;
    else if (type === 'IDAT') idat.push(body);
    else if (type === 'IEND') {
      ended = true;
      break;
    } else if (type === 'iCCP' || type === 'eXIf' || type === 'sRGB' || type === 'cHRM' || type === 'gAMA') {
      // Colour management or orientation: sharp applies these; keep the two paths' results the same.
      if (type !== 'sRGB') return undefined;
    } else if ((buf[pos - 12 - len + 4] & 0x20) === 0) return undefined; // unknown critical chunk
  }
  if (!ended || colorType < 0 || idat.length === 0) return undefined;
  const samples = colorType === 0 ? 1 : colorType === 2 ? 3 : colorType === 3 ? 1 : colorType === 4 ? 2 : 4;
  if (colorType === 1 || colorType === 5 || colorType > 6) return undefined;
  if (colorType === 3 && !palette) return undefined;
  const isColor = colorType === 2 || colorType === 6 || (colorType === 3 && !paletteIsGray(palette!));
  if (isColor && wantChannels === 1) return undefined; // luma formula: leave colour → gray to sharp
  const bitsPerPixel = samples * depth;
  const stride = Math.ceil((width * bitsPerPixel) / 8);
  const zdata = idat.length === 1 ? idat[0] : Buffer.concat(idat);
  let data: Uint8Array | undefined;
  if (native?.inflate) {
    // Exactly the scanlines' size: a stream that inflates to more fails here and goes through node:zlib below,
    // which then yields the same first bytes (unfilter reads only those).
    const want = height * (stride + 1);
    if (inflateBuf.length < want) inflateBuf = new Uint8Array(Math.max(want, inflateBuf.length * 2));
    const n = native.inflate(zdata, inflateBuf.subarray(0, want));
    if (n === want) data = inflateBuf.subarray(0, want);
  }
  if (!data) {
    try {
      data = inflateSync(zdata);
    } catch {
      return undefined;
    }
  }
  const raw = unfilter(data, height, stride, Math.max(1, bitsPerPixel >> 3));
  if (!raw) return undefined;
  const n = width * height;
  if (colorType === 0 && depth === 8 && !trns && wantChannels === 1) {
    return { width, height, channels: 1, pixels: raw }; // the common case (MNIST-like): unfiltered bytes are pixels
  }
  const out = new Uint8Array(n * wantChannels);
  const put = (i: number, r: number, g: number, b: number) => {
    if (wantChannels === 1) out[i] = r;
    else {
      out[i * 3] = r;
      out[i * 3 + 1] = g;
      out[i * 3 + 2] = b;
    }
  };
  const maxv = (1 << Math.min(depth, 8)) - 1;
  // Sample s of pixel i, scaled to 8 bits (16-bit: high byte, as sharp's cast does).
  const sample = (y: number, x: number, s: number): number => {
    const row = y * stride;
    if (depth === 8) return raw[row + x * samples + s];
    if (depth === 16) return raw[row + (x * samples + s) * 2];
    const bit = (x * samples + s) * depth;
    const v = (raw[row + (bit >> 3)] >> (8 - depth - (bit & 7))) & maxv;
    return colorType === 3 ? v : Math.round((v * 255) / maxv);
  };
  const key16 = (y: number, x: number, s: number): number => {
    const row = y * stride;
    if (depth === 16) return (raw[row + (x * samples + s) * 2] << 8) | raw[row + (x * samples + s) * 2 + 1];
    if (depth === 8) return raw[row + x * samples + s];
    const bit = (x * samples + s) * depth;
    return (raw[row + (bit >> 3)] >> (8 - depth - (bit & 7))) & maxv;
  };
  const tkey = (s: number) => (trns && trns.length >= 2 * (s + 1) ? (trns[2 * s] << 8) | trns[2 * s + 1] : -1);
  for (let y = 0, i = 0; y < height; y++) {
    for (let x = 0; x < width; x++, i++) {
      if (colorType === 0) {
        const v = sample(y, x, 0);
        put(i, ...(trns && key16(y, x, 0) === tkey(0) ? ([255, 255, 255] as const) : ([v, v, v] as const)));
      } else if (colorType === 2) {
        if (trns && key16(y, x, 0) === tkey(0) && key16(y, x, 1) === tkey(1) && key16(y, x, 2) === tkey(2)) {
          put(i, 255, 255, 255);
        } else put(i, sample(y, x, 0), sample(y, x, 1), sample(y, x, 2));
      } else if (colorType === 3) {
        const p = sample(y, x, 0);
        if (p * 3 + 2 >= palette!.length) return undefined;
        const a = trns && p < trns.length ? trns[p] : 255;
        const r = overWhite(palette![p * 3], a);
        put(i, r, overWhite(palette![p * 3 + 1], a), overWhite(palette![p * 3 + 2], a));
      } else if (colorType === 4) {
        const v = overWhite(sample(y, x, 0), sample(y, x, 1));
        put(i, v, v, v);
      } else {
        const a = sample(y, x, 3);
        put(i, overWhite(sample(y, x, 0), a), overWhite(sample(y, x, 1), a), overWhite(sample(y, x, 2), a));
      }
    }
  }
  return { width, height, channels: wantChannels, pixels: out };
}

function paletteIsGray(p: Uint8Array): boolean {
  for (let i = 0; i + 2 < p.length; i += 3) if (p[i] !== p[i + 1] || p[i] !== p[i + 2]) return false;
  return true;
}
