import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { openImages } from '../packages/loader/src/index.ts';
import { sharp } from '../packages/loader/test/fixtures.ts';
import { runCli, tempDir } from './helpers/cli.ts';

async function tree(dir: string, files: Record<string, Buffer | string>): Promise<void> {
  for (const [rel, data] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await fs.writeFile(path.join(dir, rel), data);
  }
}

function solid(w: number, h: number, rgb: [number, number, number]) {
  return sharp({ create: { width: w, height: h, channels: 3, background: { r: rgb[0], g: rgb[1], b: rgb[2] } } });
}

test('tripletkit load: folder → images file, --json summary, bad files listed on stderr and in --errors', async () => {
  const dir = await tempDir();
  await tree(dir, {
    'data/cats/1.png': await solid(30, 20, [200, 10, 10]).png().toBuffer(),
    'data/cats/2.jpg': await solid(30, 20, [190, 20, 20]).jpeg().toBuffer(),
    'data/dogs/1.webp': await solid(20, 30, [10, 10, 200]).webp().toBuffer(),
    'data/dogs/broken.jpg': 'not really a jpeg',
  });
  const out = path.join(dir, 'images.arrow');
  const errors = path.join(dir, 'errors.jsonl');
  const r = await runCli(['load', path.join(dir, 'data'), '--size', '16', '-o', out, '--errors', errors, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const summary = JSON.parse(r.stdout);
  assert.equal(summary.rows, 3);
  assert.equal(summary.skipped, 1);
  assert.deepEqual(summary.classes, ['cats', 'dogs']);
  assert.deepEqual(summary.classCounts, [2, 1]);
  assert.match(r.stderr, /skipped 1 bad file/);
  assert.match(r.stderr, /dogs\/broken\.jpg: not-an-image/);
  const listed = JSON.parse((await fs.readFile(errors, 'utf8')).trim());
  assert.equal(listed.path, 'dogs/broken.jpg');
  const f = await openImages(out);
  assert.equal(f.metadata['tripletkit.kind'], 'images');
  assert.deepEqual([f.height, f.width, f.channels], [16, 16, 3]);
  assert.deepEqual(Array.from(await f.labels()), [0, 0, 1]);
  const { pixels } = await f.readRows([0, 2]);
  assert.ok(pixels[0] > 180 && pixels[2] < 40, 'cat is red');
  assert.ok(pixels[16 * 16 * 3 + 2] > 180 && pixels[16 * 16 * 3] < 40, 'dog is blue');
  await f.close();
});

test('tripletkit load --strict: non-zero exit, one clear sentence, no output', async () => {
  const dir = await tempDir();
  await tree(dir, { 'data/a/1.png': await solid(8, 8, [1, 2, 3]).png().toBuffer(), 'data/a/2.png': Buffer.alloc(0) });
  const out = path.join(dir, 'images.arrow');
  const r = await runCli(['load', path.join(dir, 'data'), '--size', '8', '--strict', '-o', out]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /The image a\/2\.png cannot be used \(empty\)/);
  assert.doesNotMatch(r.stderr, /at .*\.ts:\d+/, 'no stack trace without --verbose');
  assert.equal(existsSync(out), false);
});

test('tripletkit load: manifest, --idx and --format stream; missing input is a clear error', async () => {
  const dir = await tempDir();
  await tree(dir, {
    'imgs/x.png': await solid(10, 10, [50, 50, 50]).png().toBuffer(),
    'list.csv': 'path,label\nimgs/x.png,shirt\n',
    'bad.csv': 'path,label\nimgs/x.png,shirt\nimgs/nope.png,shoe\n',
  });
  const out = path.join(dir, 'm.arrow');
  let r = await runCli(['load', '--manifest', path.join(dir, 'list.csv'), '--size', '4', '-o', out, '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout).classes, ['shirt']);
  r = await runCli(['load', path.join(dir, 'bad.csv'), '--size', '4', '-o', out]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /Row 3 of the manifest .*bad\.csv names imgs\/nope\.png/);

  // IDX (uncompressed), stream format.
  const n = 5;
  const img = Buffer.alloc(16 + n * 9);
  img.writeUInt32BE(0x803, 0);
  img.writeUInt32BE(n, 4);
  img.writeUInt32BE(3, 8);
  img.writeUInt32BE(3, 12);
  img.fill(77, 16);
  const lab = Buffer.alloc(8 + n);
  lab.writeUInt32BE(0x801, 0);
  lab.writeUInt32BE(n, 4);
  await tree(dir, { 'i.idx': img, 'l.idx': lab });
  const s = path.join(dir, 's.arrow');
  r = await runCli([
    'load',
    '--idx',
    path.join(dir, 'i.idx'),
    path.join(dir, 'l.idx'),
    '--size',
    '6',
    '--format',
    'stream',
    '-o',
    s,
    '--json',
  ]);
  assert.equal(r.code, 0, r.stderr);
  const f = await openImages(s);
  assert.equal(f.format, 'stream');
  assert.equal(f.numRows, 5);
  assert.equal(f.channels, 1);
  const { pixels } = await f.readRows([4]);
  assert.ok(pixels.every((v) => v === 77));
  await f.close();
});

test('without the native helpers (TRIPLETKIT_NO_NATIVE=1) EXIF rotation still applies and PNGs give the same bytes', async () => {
  const dir = await tempDir();
  const px = Buffer.alloc(40 * 20 * 3);
  for (let y = 0; y < 20; y++)
    for (let x = 0; x < 40; x++) px.set(x < 20 ? [230, 20, 20] : [20, 20, 230], (y * 40 + x) * 3);
  const rotated = await sharp(px, { raw: { width: 40, height: 20, channels: 3 } })
    .jpeg()
    .withMetadata({ orientation: 6 })
    .toBuffer();
  const gray = Buffer.alloc(28 * 28 * 3);
  for (let i = 0; i < gray.length; i++) gray[i] = (i * 17) & 255;
  await tree(dir, {
    'in/a/rot.jpg': rotated,
    'in/b/g.png': await sharp(gray, { raw: { width: 28, height: 28, channels: 3 } })
      .png()
      .toBuffer(),
  });
  const pngRows: Uint8Array[] = [];
  for (const env of [{}, { TRIPLETKIT_NO_NATIVE: '1' }]) {
    const out = path.join(dir, `o${pngRows.length}.arrow`);
    const r = await runCli(['load', path.join(dir, 'in'), '--width', '20', '--height', '40', '-o', out], { env });
    assert.equal(r.code, 0, r.stderr);
    const f = await openImages(out);
    const { pixels } = await f.readRows([0, 1]);
    const top = Array.from(pixels.subarray((5 * 20 + 10) * 3, (5 * 20 + 10) * 3 + 3));
    const bottom = Array.from(pixels.subarray((34 * 20 + 10) * 3, (34 * 20 + 10) * 3 + 3));
    assert.ok(top[0] > 180 && top[2] < 80, `top red (${JSON.stringify(env)}): ${top}`);
    assert.ok(bottom[2] > 180 && bottom[0] < 80, `bottom blue (${JSON.stringify(env)}): ${bottom}`);
    pngRows.push(pixels.slice(20 * 40 * 3));
    await f.close();
  }
  assert.deepEqual(pngRows[0], pngRows[1], 'PNG path identical with and without the native helpers');
});

test('tripletkit load --help lists the options', async () => {
  const r = await runCli(['load', '--help']);
  assert.equal(r.code, 0);
  for (const opt of [
    '--size',
    '--fit',
    '--channels',
    '--batch-rows',
    '--format',
    '--strict',
    '--errors',
    '--idx',
    '--manifest',
  ]) {
    assert.ok(r.stdout.includes(opt), opt);
  }
});
