/**
 * Decodes a chunk of images into one contiguous Uint8 buffer (n × H × W × C). Runs inside a worker thread (or the
 * main thread with concurrency 1); the result depends only on the inputs, never on timing.
 *
 * Paths: JPEGs → the native helpers (libjpeg-turbo decoding at a reduced DCT scale, then tripletkit's resampler) when
 * built; small PNGs and raw IDX pixels → tripletkit's decoder and resampler (no sharp pipeline, ~20× cheaper per
 * image); small PNGs that decoder declines → sharp decodes at native size, tripletkit resamples (same resampler, so a
 * small PNG gives the same pixels whichever decoder read it); everything else, and every JPEG the native helpers
 * decline → one sharp pipeline (EXIF auto-orient, alpha over white, resize with shrink-on-load, colourspace).
 */
import fs from 'node:fs';
import type { Sharp } from 'sharp';
import type { DecodedChunk, DecodeInput, DecodeOptions } from './decodeOptions.ts';
import { decodeSmallPng, isPng, SMALL_PNG_MAX_PIXELS } from './decodeSmallPng.ts';
import { describeError } from './describeError.ts';
import { loadSharp } from './loadSharp.ts';
import { native } from './native.ts';
import { fitGeometry, resizeRaw } from './resizeRaw.ts';

const WHITE = { r: 255, g: 255, b: 255 };
const BLACK = { r: 0, g: 0, b: 0, alpha: 1 };

function colour(img: Sharp, channels: 1 | 3): Sharp {
  return channels === 1 ? img.grayscale() : img.toColourspace('srgb');
}

/** sharp decodes at native size (oriented, flattened, target colourspace); tripletkit resamples. */
async function sharpNative(buf: Uint8Array, o: DecodeOptions, out: Uint8Array, at: number): Promise<void> {
  const sharp = await loadSharp();
  const img = sharp(buf, { failOn: o.failOn, limitInputPixels: o.limitInputPixels }).rotate().flatten({
    background: WHITE,
  });
  const { data, info } = await colour(img, o.channels).removeAlpha().raw({ depth: 'uchar' }).toBuffer({
    resolveWithObject: true,
  });
  if (info.channels !== o.channels || data.length !== info.width * info.height * o.channels) {
    throw new Error(`unexpected decoded layout (${info.width}×${info.height}×${info.channels})`);
  }
  resizeRaw(data, info.width, info.height, o.channels, out, at, o.width, o.height, o.fit, o.kernel);
}

/** One sharp pipeline from encoded bytes to the output size. */
async function sharpPipeline(buf: Uint8Array, o: DecodeOptions, out: Uint8Array, at: number): Promise<void> {
  const sharp = await loadSharp();
  const img = sharp(buf, { failOn: o.failOn, limitInputPixels: o.limitInputPixels, sequentialRead: true })
    .rotate()
    .flatten({ background: WHITE })
    .resize(o.width, o.height, { fit: o.fit, kernel: o.kernel, background: BLACK, position: 'centre' });
  const { data, info } = await colour(img, o.channels).removeAlpha().raw({ depth: 'uchar' }).toBuffer({
    resolveWithObject: true,
  });
  const size = o.width * o.height * o.channels;
  if (info.channels !== o.channels || data.length !== size) {
    throw new Error(`unexpected decoded layout (${info.width}×${info.height}×${info.channels})`);
  }
  out.set(data, at);
}

/** Width × height from a PNG's IHDR, or 0 when not a PNG. */
function pngPixels(buf: Uint8Array): number {
  if (!isPng(buf) || buf.length < 24) return 0;
  const v = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  return v.getUint32(16) * v.getUint32(20);
}

// Reused per thread: decoding allocates nothing per image, so the GC (and RSS) stay quiet at thousands of images/s.
let scratchBuf = new Uint8Array(0);
function scratch(size: number): Uint8Array {
  if (scratchBuf.length < size) scratchBuf = new Uint8Array(Math.max(size, scratchBuf.length * 2));
  return scratchBuf;
}

let fileBuf = Buffer.alloc(1 << 16);
/** Reads a whole file into a reused buffer (a view valid until the next call); stat only for files that fill it. */
function readFileReused(file: string | Uint8Array): Buffer {
  // Bytes (a name that is not UTF-8) arrive from a worker as a Uint8Array: fs takes them as a Buffer.
  const fd = fs.openSync(
    typeof file === 'string' ? file : Buffer.from(file.buffer, file.byteOffset, file.byteLength),
    'r',
  );
  try {
    let got = fs.readSync(fd, fileBuf, 0, fileBuf.length, 0);
    if (got === fileBuf.length) {
      const size = fs.fstatSync(fd).size;
      if (size >= fileBuf.length) {
        const bigger = Buffer.alloc(Math.max(size + 1, fileBuf.length * 2));
        fileBuf.copy(bigger, 0, 0, got);
        fileBuf = bigger;
      }
      // Read to the end (the file may also have grown since the stat).
      for (;;) {
        if (got === fileBuf.length) {
          const bigger = Buffer.alloc(fileBuf.length * 2);
          fileBuf.copy(bigger);
          fileBuf = bigger;
        }
        const n = fs.readSync(fd, fileBuf, got, fileBuf.length - got, got);
        if (n === 0) break;
        got += n;
      }
    }
    return fileBuf.subarray(0, got);
  } finally {
    fs.closeSync(fd);
  }
}

function isJpeg(buf: Uint8Array): boolean {
  return buf.length > 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff;
}

/**
 * JPEG through the native helpers: decode directly at the smallest eighth of full size (libjpeg-turbo DCT scaling)
 * that still covers the resize target, orient, resample. Returns false to hand the image to sharp (no addon, CMYK,
 * non-sRGB ICC profile, any decoder warning or error, over the pixel limit).
 */
function nativeJpeg(buf: Uint8Array, o: DecodeOptions, out: Uint8Array, at: number): boolean {
  if (!native || !isJpeg(buf)) return false;
  const info = native.jpegInfo(buf);
  if (!info?.[3]) return false;
  const [w, h, orientation] = info;
  if (w * h > o.limitInputPixels || w === 0 || h === 0) return false;
  const swap = orientation >= 5;
  const ow = swap ? h : w;
  const oh = swap ? w : h;
  const g = fitGeometry(ow, oh, o.width, o.height, o.fit);
  let scale = Math.min(8, Math.max(1, Math.ceil(8 * Math.max(g.rw / ow, g.rh / oh) - 1e-9)));
  while (scale < 8 && (Math.ceil((ow * scale) / 8) < g.rw || Math.ceil((oh * scale) / 8) < g.rh)) scale++;
  const need = Math.ceil((w * scale) / 8) * Math.ceil((h * scale) / 8) * o.channels;
  const dec = native.jpegDecode(buf, scale, o.channels === 1 ? 1 : 0, 0, scratch(need));
  if (!dec) return false;
  const [dw, dh] = dec;
  let px = scratchBuf.subarray(0, dw * dh * o.channels);
  if (orientation > 1) {
    const turned = new Uint8Array(px.length);
    native.orient(px, dw, dh, o.channels, orientation, turned);
    px = turned;
  }
  const [pw, ph] = swap ? [dh, dw] : [dw, dh];
  resizeRaw(px, pw, ph, o.channels, out, at, o.width, o.height, o.fit, o.kernel);
  return true;
}

/** Decodes one encoded image into `out` at byte offset `at`. */
export async function decodeOne(buf: Uint8Array, o: DecodeOptions, out: Uint8Array, at: number): Promise<void> {
  if (nativeJpeg(buf, o, out, at)) return;
  const px = pngPixels(buf);
  if (px > 0 && px <= SMALL_PNG_MAX_PIXELS && px <= o.limitInputPixels) {
    const img = decodeSmallPng(buf, o.channels);
    if (img) {
      resizeRaw(img.pixels, img.width, img.height, o.channels, out, at, o.width, o.height, o.fit, o.kernel);
      return;
    }
    return sharpNative(buf, o, out, at);
  }
  return sharpPipeline(buf, o, out, at);
}

/** Gray ↔ RGB for raw pixels, then the shared resampler. */
function decodeRaw(input: Extract<DecodeInput, { raw: Uint8Array }>, o: DecodeOptions, out: Uint8Array, at: number) {
  let px = input.raw;
  if (input.channels !== o.channels) {
    const n = input.width * input.height;
    const conv = new Uint8Array(n * o.channels);
    if (input.channels === 1) for (let i = 0; i < n; i++) conv.fill(px[i], i * 3, i * 3 + 3);
    else
      for (let i = 0; i < n; i++)
        conv[i] = Math.round(0.299 * px[i * 3] + 0.587 * px[i * 3 + 1] + 0.114 * px[i * 3 + 2]);
    px = conv;
  }
  resizeRaw(px, input.width, input.height, o.channels, out, at, o.width, o.height, o.fit, o.kernel);
}

/**
 * @example
 * const { pixels, failures } = await decodeChunk([{ file: '/data/cat/1.jpg' }], options);
 * // pass `reuse` (a buffer from an earlier result, no longer needed) to decode without allocating
 */
export async function decodeChunk(inputs: DecodeInput[], o: DecodeOptions, reuse?: ArrayBuffer): Promise<DecodedChunk> {
  const rowBytes = o.width * o.height * o.channels;
  const size = inputs.length * rowBytes;
  // A returned buffer when it is large enough (no allocation, no GC); else a fresh one, not zero-filled: every row is
  // fully written by its decoder (failed rows are zeroed below and never used).
  const buffer = reuse && reuse.byteLength >= size ? reuse : Buffer.allocUnsafeSlow(size).buffer;
  const pixels = new Uint8Array(buffer, 0, size);
  const failures: DecodedChunk['failures'] = new Array(inputs.length).fill(null);
  for (let i = 0; i < inputs.length; i++) {
    const input = inputs[i];
    const at = i * rowBytes;
    if ('raw' in input) {
      decodeRaw(input, o, pixels, at);
      continue;
    }
    let buf: Buffer;
    try {
      // Synchronous: a worker has nothing else to do meanwhile, and it is several times cheaper for small files.
      buf = readFileReused(input.file);
    } catch (err) {
      failures[i] = { reason: 'unreadable', message: (err as Error).message };
      continue;
    }
    if (buf.length === 0) {
      failures[i] = { reason: 'empty', message: 'empty file (0 bytes)' };
      continue;
    }
    try {
      await decodeOne(buf, o, pixels, at);
    } catch (err) {
      pixels.fill(0, at, at + rowBytes);
      failures[i] = describeError(err);
    }
  }
  return { pixels, failures };
}
