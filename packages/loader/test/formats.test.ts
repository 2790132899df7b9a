import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { decodeSmallPng } from '../src/decode/decodeSmallPng.ts';
import { openImages, writeImages } from '../src/index.ts';
import { encodePng, formatZoo, pixelAt, QUADRANTS, quadrant, tmp, writeTree } from './fixtures.ts';

const WHITE = [255, 255, 255];
const GRAYS = [10, 90, 170, 250];

test('every format decodes to the right pixels (JPEG, PNG 8/16-bit, palette, gray, alpha, WebP, GIF, TIFF)', async () => {
  const dir = await tmp();
  const zoo = await formatZoo();
  await writeTree(dir, Object.fromEntries(Object.entries(zoo).map(([name, buf]) => [`cls/${name}`, buf])));
  const out = path.join(dir, 'out.arrow');
  const s = await writeImages(out, { folder: dir }, { size: 16, fit: 'fill', concurrency: 1 });
  assert.equal(s.rows, Object.keys(zoo).length, JSON.stringify(s.badFiles));
  const images = await openImages(out);
  const paths = await images.paths();
  const { pixels } = await images.readRows(paths.map((_, i) => i));
  const points: [number, number][] = [
    [4, 4],
    [12, 4],
    [4, 12],
    [12, 12],
  ];
  paths.forEach((p, row) => {
    const name = path.basename(p);
    const gray = name.includes('gray');
    const tol = name.endsWith('.jpg') ? 3 : name.includes('palette') || name.endsWith('.gif') ? 2 : 1;
    points.forEach(([x, y], q) => {
      let expected = gray ? [GRAYS[q], GRAYS[q], GRAYS[q]] : QUADRANTS[q];
      if (name.includes('alpha') && q === 0) expected = WHITE; // transparent → composited over white
      const got = pixelAt(pixels, row * 16 * 16 * 3, 16, 3, x, y);
      got.forEach((v, k) => {
        assert.ok(Math.abs(v - expected[k]) <= tol, `${name} quadrant ${q}: got ${got}, expected ${expected}`);
      });
    });
  });
  await images.close();
});

test('channels 1 keeps gray images exact; colour images become one luminance channel', async () => {
  const dir = await tmp();
  const zoo = await formatZoo();
  await writeTree(dir, { 'a/g.png': zoo['e_gray.png'], 'a/g16.png': zoo['f_gray16.png'], 'b/c.png': zoo['b.png'] });
  const out = path.join(dir, 'g.arrow');
  await writeImages(out, { folder: dir }, { size: 16, channels: 1, fit: 'fill' });
  const images = await openImages(out);
  assert.equal(images.channels, 1);
  const { pixels } = await images.readRows([0, 1, 2]);
  for (const row of [0, 1]) {
    assert.deepEqual(
      [pixelAt(pixels, row * 256, 16, 1, 4, 4)[0], pixelAt(pixels, row * 256, 16, 1, 12, 12)[0]],
      [GRAYS[0], GRAYS[3]],
    );
  }
  // Green quadrant is brighter than the blue one in any luminance formula.
  assert.ok(pixelAt(pixels, 512, 16, 1, 12, 4)[0] > pixelAt(pixels, 512, 16, 1, 4, 12)[0]);
  await images.close();
});

test('EXIF orientation is applied: a JPEG stored landscape with orientation 6 comes out portrait', async () => {
  const dir = await tmp();
  // Stored 40×20: left half red, right half blue. Orientation 6 = rotate 90° clockwise to display → 20×40 with red
  // on top and blue below.
  const px = Buffer.alloc(40 * 20 * 3);
  for (let y = 0; y < 20; y++) {
    for (let x = 0; x < 40; x++) px.set(x < 20 ? [230, 20, 20] : [20, 20, 230], (y * 40 + x) * 3);
  }
  const jpeg = await sharp(px, { raw: { width: 40, height: 20, channels: 3 } })
    .jpeg({ quality: 95 })
    .withMetadata({ orientation: 6 })
    .toBuffer();
  assert.equal((await sharp(jpeg).metadata()).orientation, 6);
  await writeTree(dir, { 'c/rot.jpg': jpeg });
  const out = path.join(dir, 'r.arrow');
  const s = await writeImages(out, { folder: dir }, { concurrency: 1 });
  assert.deepEqual([s.width, s.height], [20, 40], 'default size = oriented size of the first image');
  const images = await openImages(out);
  const { pixels } = await images.readRows([0]);
  const top = pixelAt(pixels, 0, 20, 3, 10, 5);
  const bottom = pixelAt(pixels, 0, 20, 3, 10, 34);
  assert.ok(top[0] > 180 && top[2] < 80, `top should be red, got ${top}`);
  assert.ok(bottom[2] > 180 && bottom[0] < 80, `bottom should be blue, got ${bottom}`);
  await images.close();
});

test('the small-PNG decoder agrees exactly with sharp on every PNG flavour it accepts', async () => {
  const zoo = await formatZoo();
  for (const name of [
    'b.png',
    'c16.png',
    'd_palette.png',
    'e_gray.png',
    'f_gray16.png',
    'g_alpha.png',
    'g_gray_alpha.png',
  ]) {
    const buf = zoo[name];
    const mine = decodeSmallPng(buf, 3);
    assert.ok(mine, `${name} should take the fast path`);
    const ref = await sharp(buf).flatten({ background: '#ffffff' }).toColourspace('srgb').raw().toBuffer();
    assert.deepEqual(Buffer.from(mine.pixels), ref, name);
  }
  // Declines what it cannot do exactly, so sharp handles it.
  assert.equal(decodeSmallPng(zoo['b.png'], 1), undefined, 'colour → gray is left to sharp');
  assert.equal(decodeSmallPng(zoo['a.jpg'], 3), undefined);
  const interlaced = await sharp(zoo['b.png']).png({ progressive: true }).toBuffer();
  assert.equal(decodeSmallPng(interlaced, 3), undefined);
});

test('grayscale fast path and sharp fallback produce the same file for IDX-like content', async () => {
  const dir = await tmp();
  const raw = Buffer.alloc(28 * 28);
  for (let i = 0; i < raw.length; i++) raw[i] = (i * 31) & 255;
  const png = await sharp(raw, { raw: { width: 28, height: 28, channels: 1 } })
    .toColourspace('b-w')
    .png()
    .toBuffer();
  const interlaced = await sharp(raw, { raw: { width: 28, height: 28, channels: 1 } })
    .toColourspace('b-w')
    .png({ progressive: true })
    .toBuffer();
  await writeTree(dir, { 'x/fast.png': png, 'x/slow.png': interlaced });
  const out = path.join(dir, 'o.arrow');
  await writeImages(out, { folder: dir }, { size: 64, channels: 1 });
  const images = await openImages(out);
  const { pixels } = await images.readRows([0, 1]);
  assert.deepEqual(pixels.subarray(0, 4096), pixels.subarray(4096));
  await images.close();
  await fs.rm(dir, { recursive: true });
});

test('the 16-bit fixtures really are 16-bit PNGs (gray and RGB)', async () => {
  const zoo = await formatZoo();
  assert.deepEqual([zoo['f_gray16.png'][24], zoo['f_gray16.png'][25]], [16, 0]);
  assert.deepEqual([zoo['c16.png'][24], zoo['c16.png'][25]], [16, 2]);
  assert.equal(zoo['d_palette.png'][25], 3);
  assert.equal(zoo['g_gray_alpha.png'][25], 4);
  assert.equal(zoo['g_alpha.png'][25], 6);
});

test('JPEG variants: grayscale, progressive, CMYK, non-sRGB ICC and a large photo shrunk 1/8 all decode right', async () => {
  const dir = await tmp();
  const big = await quadrant(2000, 1500).jpeg({ quality: 85 }).toBuffer();
  await writeTree(dir, {
    'j/gray.jpg': await quadrant(32, 32, [
      [10, 10, 10],
      [90, 90, 90],
      [170, 170, 170],
      [250, 250, 250],
    ])
      .toColourspace('b-w')
      .jpeg({ quality: 100 })
      .toBuffer(),
    'j/progressive.jpg': await quadrant(32, 32)
      .jpeg({ quality: 100, progressive: true, chromaSubsampling: '4:4:4' })
      .toBuffer(),
    'j/cmyk.jpg': await quadrant(32, 32).toColourspace('cmyk').jpeg({ quality: 100 }).toBuffer(),
    'j/p3.jpg': await quadrant(32, 32)
      .withIccProfile('p3')
      .jpeg({ quality: 100, chromaSubsampling: '4:4:4' })
      .toBuffer(),
    'j/zbig.jpg': big,
  });
  const out = path.join(dir, 'j.arrow');
  const s = await writeImages(out, { folder: dir }, { size: 16, fit: 'fill' });
  assert.equal(s.rows, 5, JSON.stringify(s.badFiles));
  const f = await openImages(out);
  const { pixels } = await f.readRows([0, 1, 2, 3, 4]);
  const names = await f.paths();
  const at = (row: number, x: number, y: number) => pixelAt(pixels, row * 768, 16, 3, x, y);
  const near = (got: number[], want: number[], tol: number, what: string) =>
    got.forEach((v, k) => {
      assert.ok(Math.abs(v - want[k]) <= tol, `${what}: got ${got}, want ${want}`);
    });
  for (const [row, name] of names.entries()) {
    if (name.endsWith('gray.jpg')) {
      near(at(row, 4, 4), [10, 10, 10], 3, name);
      near(at(row, 12, 12), [250, 250, 250], 3, name);
      continue;
    }
    // CMYK and a Display-P3 profile are colour-managed (by sharp, which these go to): compare with sharp's own result.
    const managed = name.includes('cmyk') || name.includes('p3');
    const ref = managed
      ? await sharp(path.join(dir, name)).resize(16, 16, { fit: 'fill' }).toColourspace('srgb').raw().toBuffer()
      : undefined;
    [
      [4, 4],
      [12, 4],
      [4, 12],
      [12, 12],
    ].forEach(([x, y], q) => {
      const want = ref ? pixelAt(ref, 0, 16, 3, x, y) : QUADRANTS[q];
      near(at(row, x, y), want, managed ? 3 : 6, `${name} quadrant ${q}`);
    });
  }
  await f.close();
});

test('small-PNG decoder: IDAT split over several chunks, and damaged data declined (sharp then reports it)', async () => {
  const px = Buffer.alloc(20 * 10 * 3);
  for (let i = 0; i < px.length; i++) px[i] = (i * 11) & 255;
  const one = decodeSmallPng(encodePng(20, 10, 2, px), 3);
  const three = decodeSmallPng(encodePng(20, 10, 2, px, 3), 3);
  assert.ok(one && three);
  assert.deepEqual(Buffer.from(one.pixels), px);
  assert.deepEqual(three.pixels, one.pixels);
  // Flip a byte inside the compressed data (CRC fixed up so only zlib can notice): declined, not garbage.
  const bad = encodePng(20, 10, 2, px);
  const idat = bad.indexOf('IDAT', 0, 'latin1');
  const len = bad.readUInt32BE(idat - 4);
  bad[idat + 4 + Math.floor(len / 2)] ^= 0x55;
  bad.writeUInt32BE(crc32(bad.subarray(idat, idat + 4 + len)), idat + 4 + len);
  assert.equal(decodeSmallPng(bad, 3), undefined);
});
