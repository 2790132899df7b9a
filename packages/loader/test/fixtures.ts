/**
 * Test images made with sharp inside the tests: quadrant images whose resized pixels are known exactly, every format
 * the loader claims, and the bad-file suite.
 */
import { rmSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import sharp, { type Sharp } from 'sharp';

/** The four quadrant colours (top-left, top-right, bottom-left, bottom-right). */
export const QUADRANTS: [number, number, number][] = [
  [220, 30, 30],
  [30, 200, 40],
  [20, 40, 210],
  [240, 220, 20],
];

const made: string[] = [];
process.on('exit', () => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temporary directory, removed when the test process exits. */
export async function tmp(prefix = 'tk-loader-'): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Raw RGB pixels of a w×h image with four solid quadrants. */
export function quadrantPixels(w: number, h: number, colors = QUADRANTS): Buffer {
  const px = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const q = (y < h / 2 ? 0 : 2) + (x < w / 2 ? 0 : 1);
      px.set(colors[q], (y * w + x) * 3);
    }
  }
  return px;
}

/** A sharp instance of the quadrant image. */
export function quadrant(w = 32, h = 32, colors = QUADRANTS): Sharp {
  return sharp(quadrantPixels(w, h, colors), { raw: { width: w, height: h, channels: 3 } });
}

/** Encoded quadrant images in every format the loader claims, keyed by file name. */
export async function formatZoo(): Promise<Record<string, Buffer>> {
  const q = () => quadrant(32, 32);
  const gray = (v: number) => [v, v, v] as [number, number, number];
  const grayQ = () => quadrant(32, 32, [gray(10), gray(90), gray(170), gray(250)]);
  const rgba = Buffer.alloc(32 * 32 * 4);
  const rgb = quadrantPixels(32, 32);
  for (let i = 0; i < 32 * 32; i++) {
    rgba.set(rgb.subarray(i * 3, i * 3 + 3), i * 4);
    rgba[i * 4 + 3] = 255;
  }
  // Top-left quadrant transparent: composited over white.
  for (let y = 0; y < 16; y++) for (let x = 0; x < 16; x++) rgba[(y * 32 + x) * 4 + 3] = 0;
  // Gray + alpha, same layout: gray quadrants, top-left transparent.
  const grayAlpha = Buffer.alloc(32 * 32 * 2);
  const gv = [10, 90, 170, 250];
  for (let y = 0; y < 32; y++) {
    for (let x = 0; x < 32; x++) {
      const i = (y * 32 + x) * 2;
      grayAlpha[i] = gv[(y < 16 ? 0 : 2) + (x < 16 ? 0 : 1)];
      grayAlpha[i + 1] = y < 16 && x < 16 ? 0 : 255;
    }
  }
  return {
    'a.jpg': await q().jpeg({ quality: 100, chromaSubsampling: '4:4:4' }).toBuffer(),
    'b.png': await q().png().toBuffer(),
    'c16.png': await q().toColourspace('rgb16').png().toBuffer(),
    'd_palette.png': await q().png({ palette: true, colours: 8, dither: 0 }).toBuffer(),
    'e_gray.png': await grayQ().toColourspace('b-w').png().toBuffer(),
    'f_gray16.png': await grayQ().toColourspace('grey16').png().toBuffer(),
    'g_alpha.png': await sharp(rgba, { raw: { width: 32, height: 32, channels: 4 } })
      .png()
      .toBuffer(),
    'g_gray_alpha.png': encodePng(32, 32, 4, grayAlpha), // sharp writes gray+alpha as RGBA: encode it by hand
    'h.webp': await q().webp({ lossless: true }).toBuffer(),
    'i.gif': await q().gif({ colours: 8, dither: 0 }).toBuffer(),
    'j.tiff': await q().tiff().toBuffer(),
  };
}

/** A minimal 8-bit PNG encoder (filter 0), for colour types sharp does not write (e.g. 4 = gray + alpha). */
export function encodePng(w: number, h: number, colorType: number, samples: Buffer, idatParts = 1): Buffer {
  const channels = { 0: 1, 2: 3, 4: 2, 6: 4 }[colorType as 0 | 2 | 4 | 6];
  const raw = Buffer.alloc(h * (w * channels + 1));
  for (let y = 0; y < h; y++) samples.copy(raw, y * (w * channels + 1) + 1, y * w * channels, (y + 1) * w * channels);
  const chunk = (type: string, body: Buffer) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(body.length, 0);
    head.write(type, 4, 'latin1');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), body])), 0);
    return Buffer.concat([head, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8;
  ihdr[9] = colorType;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    ...splitInto(deflateSync(raw), idatParts).map((part) => chunk('IDAT', part)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function splitInto(buf: Buffer, parts: number): Buffer[] {
  const size = Math.ceil(buf.length / parts);
  return Array.from({ length: parts }, (_, i) => buf.subarray(i * size, Math.min(buf.length, (i + 1) * size)));
}

/** Pixel (x, y) of an H×W×C row at `offset` in `px`. */
export function pixelAt(px: Uint8Array, offset: number, w: number, c: number, x: number, y: number): number[] {
  const i = offset + (y * w + x) * c;
  return Array.from(px.subarray(i, i + c));
}

/** Writes `files` (relative path → bytes) under `dir`. */
export async function writeTree(dir: string, files: Record<string, Buffer | string>): Promise<void> {
  for (const [rel, data] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await fs.writeFile(path.join(dir, rel), data);
  }
}

/** The bad-file suite: each is skipped with a reason (the key says which). */
export async function badFiles(): Promise<Record<string, Buffer | string>> {
  const good = await quadrant(64, 64).jpeg({ quality: 90 }).toBuffer();
  const corrupt = Buffer.from(good);
  // Overwrite most of the entropy-coded data with a pattern that is not valid Huffman code.
  for (let i = Math.floor(corrupt.length * 0.3); i < corrupt.length - 2; i++) corrupt[i] = (i * 37) & 0xff;
  return {
    'corrupt.jpg': corrupt,
    'truncated.jpg': good.subarray(0, Math.floor(good.length / 2)),
    'empty.png': Buffer.alloc(0),
    'not-an-image.jpg': 'this is a text file, not a JPEG\n',
    'huge.png': await quadrant(120, 120).png().toBuffer(), // over the test's limitInputPixels of 10000
  };
}

/** sharp, resolved from the loader package (the root tests have no direct dependency on it). */
export { sharp };
