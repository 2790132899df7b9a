/**
 * Issue 9, item 1: labels are names. An integer label is a class name like any other, mapped to a dense id; the
 * class list holds each class once (never 0…max), and a 10-digit label keeps its name.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { openImages, readIdx, readManifest, writeImages } from '../../packages/loader/src/index.ts';
import { quadrant, tmp, writeTree } from '../../packages/loader/test/fixtures.ts';

test('huge integer labels are names: two classes, dense ids, names kept', async () => {
  const dir = await tmp();
  const png = await quadrant(8, 8).png().toBuffer();
  await writeTree(dir, { 'a.png': png, 'b.png': png, 'c.png': png, 'd.png': png });
  const csv = path.join(dir, 'm.csv');
  await fs.writeFile(csv, 'path,label\na.png,999999999\nb.png,0\nc.png,2147483647\nd.png,12345678\n');
  const src = await readManifest(csv);
  // Integer names sort numerically, as users read them.
  assert.deepEqual(src.classes, ['0', '12345678', '999999999', '2147483647']);
  assert.deepEqual(
    src.items.map((i) => src.classes[i.label]),
    ['999999999', '0', '2147483647', '12345678'],
  );
  const out = path.join(dir, 'o.arrow');
  const t0 = Date.now();
  await writeImages(out, { manifest: csv }, { size: 8 });
  assert.ok(Date.now() - t0 < 20_000);
  assert.ok((await fs.stat(out)).size < 100_000, 'the images file holds four classes, not 2^31');
  const f = await openImages(out);
  assert.deepEqual(f.classes, ['0', '12345678', '999999999', '2147483647']);
  await f.close();
});

test('IDX labels are stored once each, not as 0…max', async () => {
  const dir = await tmp();
  const n = 3;
  const img = Buffer.alloc(16 + n * 4);
  img.writeUInt32BE(0x803, 0);
  img.writeUInt32BE(n, 4);
  img.writeUInt32BE(2, 8);
  img.writeUInt32BE(2, 12);
  const lab = Buffer.from([0, 0, 8, 1, 0, 0, 0, n, 200, 7, 200]);
  await writeTree(dir, { i: img, l: lab });
  const src = await readIdx(path.join(dir, 'i'), path.join(dir, 'l'));
  assert.deepEqual(src.classes, ['7', '200']);
  assert.deepEqual(
    src.items.map((i) => i.label),
    [1, 0, 1],
  );
});
