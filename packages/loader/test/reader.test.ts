import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { test } from 'node:test';
import { isTripletkitError, Rng } from '@tripletkit/common';
import { openImages, writeImages } from '../src/index.ts';
import { tmp } from './fixtures.ts';

/** An IDX pair of n random 6×5 images with labels i % 4 (uncompressed). */
async function idxPair(dir: string, n: number): Promise<{ images: string; labels: string; pixels: Uint8Array }> {
  const rng = new Rng(5);
  const img = Buffer.alloc(16 + n * 30);
  img.writeUInt32BE(0x803, 0);
  img.writeUInt32BE(n, 4);
  img.writeUInt32BE(5, 8);
  img.writeUInt32BE(6, 12);
  for (let i = 16; i < img.length; i++) img[i] = rng.int(256);
  const lab = Buffer.alloc(8 + n);
  lab.writeUInt32BE(0x801, 0);
  lab.writeUInt32BE(n, 4);
  for (let i = 0; i < n; i++) lab[8 + i] = i % 4;
  const images = path.join(dir, 'imgs-idx3-ubyte');
  const labels = path.join(dir, 'labs-idx1-ubyte');
  await fs.writeFile(images, img);
  await fs.writeFile(labels, lab);
  return { images, labels, pixels: img.subarray(16) };
}

for (const format of ['file', 'stream'] as const) {
  test(`readRows of scattered rows equals the sequential pass (${format} format)`, async () => {
    const dir = await tmp();
    const { images, labels, pixels } = await idxPair(dir, 203);
    const out = path.join(dir, `x.${format}.arrow`);
    // Same size as the IDX images: pixels pass through unchanged, so the source is the oracle.
    await writeImages(out, { idx: { images, labels } }, { width: 6, height: 5, batchRows: 17, format });
    const f = await openImages(out);
    assert.equal(f.format, format);
    assert.deepEqual([f.numRows, f.height, f.width, f.channels], [203, 5, 6, 1]);
    assert.deepEqual(f.classes, ['0', '1', '2', '3']);
    const all = await f.labels();
    assert.deepEqual(Array.from(all.subarray(0, 6)), [0, 1, 2, 3, 0, 1]);
    const seq = new Uint8Array(203 * 30);
    let batches = 0;
    for await (const b of f.batches()) {
      seq.set(b.pixels, b.start * 30);
      assert.equal(b.paths[0], `imgs-idx3-ubyte#${b.start}`);
      batches++;
    }
    assert.equal(batches, 12);
    assert.deepEqual(seq, new Uint8Array(pixels));
    const rows = [202, 0, 17, 16, 18, 5, 5, 150, 33, 34, 35, 1];
    const r = await f.readRows(rows);
    rows.forEach((row, i) => {
      assert.deepEqual(r.pixels.subarray(i * 30, (i + 1) * 30), seq.subarray(row * 30, (row + 1) * 30), `row ${row}`);
      assert.equal(r.labels[i], row % 4);
    });
    await assert.rejects(f.readRows([203]), (e: unknown) => isTripletkitError(e, 'E_ARG'));
    const paths = await f.paths();
    assert.equal(paths.length, 203);
    await f.close();
  });
}

test('openImages rejects files that are not images files with a clear error', async () => {
  const dir = await tmp();
  const notArrow = path.join(dir, 'x.arrow');
  await fs.writeFile(notArrow, 'hello');
  await assert.rejects(openImages(notArrow), (e: unknown) => isTripletkitError(e, 'E_NOT_ARROW'));
  await assert.rejects(openImages(path.join(dir, 'missing.arrow')), (e: unknown) =>
    isTripletkitError(e, 'E_NOT_FOUND'),
  );
  // A truncated images file.
  const { images, labels } = await idxPair(dir, 50);
  const good = path.join(dir, 'good.arrow');
  await writeImages(good, { idx: { images, labels } }, { width: 6, height: 5, batchRows: 10 });
  const bytes = await fs.readFile(good);
  const cut = path.join(dir, 'cut.arrow');
  await fs.writeFile(cut, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
  await assert.rejects(openImages(cut), (e: unknown) => isTripletkitError(e, 'E_TRUNCATED'));
});

test('an images file read back by nodejs-polars has its columns intact', async () => {
  const dir = await tmp();
  const { images, labels, pixels } = await idxPair(dir, 40);
  const out = path.join(dir, 'p.arrow');
  await writeImages(out, { idx: { images, labels } }, { width: 6, height: 5, batchRows: 16 });
  const require = createRequire(import.meta.url);
  // biome-ignore lint/suspicious/noExplicitAny: polars' typings are not needed for this check
  const pl = require('nodejs-polars') as any;
  const df = pl.readIPC(await fs.readFile(out));
  assert.deepEqual(df.columns, ['pixels', 'label', 'path']);
  assert.equal(df.height, 40);
  assert.deepEqual(
    df.getColumn('label').toArray(),
    Array.from({ length: 40 }, (_, i) => i % 4),
  );
  assert.equal(df.getColumn('path').toArray()[7], 'imgs-idx3-ubyte#7');
  const row7 = Array.from(df.getColumn('pixels').toArray()[7] as ArrayLike<number>);
  assert.deepEqual(row7, Array.from(pixels.subarray(7 * 30, 8 * 30)));
  // The stream format (what Hugging Face datasets reads) too.
  const stream = path.join(dir, 'p.stream.arrow');
  await writeImages(stream, { idx: { images, labels } }, { width: 6, height: 5, batchRows: 16, format: 'stream' });
  const ds = pl.readIPCStream(await fs.readFile(stream));
  assert.deepEqual(ds.columns, ['pixels', 'label', 'path']);
  assert.equal(ds.height, 40);
  assert.deepEqual(
    Array.from(ds.getColumn('pixels').toArray()[39] as ArrayLike<number>),
    Array.from(pixels.subarray(39 * 30)),
  );
});
