import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { isTripletkitError } from '@tripletkit/common';
import { listFolder, openImages, parseCsvLine, readIdx, readManifest, writeImages } from '../src/index.ts';
import { quadrant, tmp, writeTree } from './fixtures.ts';

test('folder: classes are sorted subfolder names; images found recursively and in path order', async () => {
  const dir = await tmp();
  const png = await quadrant(8, 8).png().toBuffer();
  await writeTree(dir, {
    'zebra/1.png': png,
    'Apple/b.png': png,
    'Apple/a/deep/c.PNG': png,
    'Apple/notes.txt': 'ignored',
    'Apple/.hidden.png': png,
    'mango/x.jpg': await quadrant(8, 8).jpeg().toBuffer(),
    'README.md': 'ignored',
  });
  await fs.mkdir(path.join(dir, '.git'));
  const src = await listFolder(dir);
  assert.deepEqual(src.classes, ['Apple', 'mango', 'zebra']);
  assert.deepEqual(
    src.items.map((i) => [i.path, i.label]),
    [
      ['Apple/a/deep/c.PNG', 0],
      ['Apple/b.png', 0],
      ['mango/x.jpg', 1],
      ['zebra/1.png', 2],
    ],
  );
  assert.equal(src.ignored, 2);
});

test('folder errors: missing, a file, no class folders, no images', async () => {
  const dir = await tmp();
  await assert.rejects(listFolder(path.join(dir, 'nope')), (e: unknown) => isTripletkitError(e, 'E_NOT_FOUND'));
  await writeTree(dir, { 'file.png': 'x' });
  await assert.rejects(listFolder(path.join(dir, 'file.png')), (e: unknown) => isTripletkitError(e, 'E_ARG'));
  await assert.rejects(listFolder(dir), (e: unknown) => isTripletkitError(e, 'E_EMPTY'));
  await writeTree(dir, { 'cls/readme.txt': 'x' });
  await assert.rejects(listFolder(dir), /has class subfolders but no image files/);
});

test('CSV manifest: header in any order, quotes, relative paths against the manifest folder, named labels', async () => {
  const dir = await tmp();
  const png = await quadrant(8, 8).png().toBuffer();
  await writeTree(dir, { 'imgs/a b.png': png, 'imgs/c.png': png, 'other/d.png': png });
  const manifest = path.join(dir, 'meta', 'train.csv');
  await writeTree(dir, {
    'meta/train.csv': `label,path,extra\ncat,"../imgs/a b.png",1\ndog,../imgs/c.png,2\n"cat, big",${path.join(dir, 'other/d.png')},3\n\n`,
  });
  const src = await readManifest(manifest);
  assert.deepEqual(src.classes, ['cat', 'cat, big', 'dog']);
  assert.deepEqual(
    src.items.map((i) => [i.path, i.label]),
    [
      ['../imgs/a b.png', 0],
      ['../imgs/c.png', 2],
      [path.join(dir, 'other/d.png'), 1],
    ],
  );
  assert.equal(src.items[0].file, path.join(dir, 'imgs', 'a b.png'));
  assert.deepEqual(parseCsvLine('a,"b ""q"", c",d'), ['a', 'b "q", c', 'd']);
});

test('JSONL manifest with integer labels: names in numeric order, dense ids; unknown files are a clear error naming the row', async () => {
  const dir = await tmp();
  const png = await quadrant(8, 8).png().toBuffer();
  await writeTree(dir, { 'x.png': png, 'y.png': png });
  const good = path.join(dir, 'm.jsonl');
  await fs.writeFile(good, '{"path":"x.png","label":3}\n{"path":"y.png","label":0}\n');
  const src = await readManifest(good);
  assert.deepEqual(src.classes, ['0', '3']);
  assert.deepEqual(
    src.items.map((i) => i.label),
    [1, 0],
  );
  const out = path.join(dir, 'o.arrow');
  await writeImages(out, { manifest: good }, { size: 8 });
  const f = await openImages(out);
  assert.deepEqual(Array.from(await f.labels()), [1, 0]);
  assert.deepEqual(await f.paths(), ['x.png', 'y.png']);
  await f.close();

  const bad = path.join(dir, 'bad.jsonl');
  await fs.writeFile(bad, '{"path":"x.png","label":"a"}\n{"path":"missing.png","label":"b"}\n');
  await assert.rejects(
    readManifest(bad),
    (e: unknown) => isTripletkitError(e, 'E_MANIFEST') && /Row 2 .* names missing\.png/.test((e as Error).message),
  );
  const broken = path.join(dir, 'broken.jsonl');
  await fs.writeFile(broken, '{"path":"x.png","label":"a"}\nnot json\n');
  await assert.rejects(readManifest(broken), /Row 2 of the manifest .* is not valid JSON/);
  const noHeader = path.join(dir, 'h.csv');
  await fs.writeFile(noHeader, 'x.png,a\n');
  await assert.rejects(readManifest(noHeader), /no "path" and "label" columns/);
  const empty = path.join(dir, 'e.csv');
  await fs.writeFile(empty, 'path,label\n');
  await assert.rejects(readManifest(empty), (e: unknown) => isTripletkitError(e, 'E_EMPTY'));
  const zero = path.join(dir, 'zero.jsonl');
  await fs.writeFile(zero, '');
  await assert.rejects(readManifest(zero), /The manifest .*zero\.jsonl is empty/);
});

test('IDX pair: gzipped or not, labels and classes from the labels file; mismatches are clear errors', async () => {
  const dir = await tmp();
  const n = 7;
  const img = Buffer.alloc(16 + n * 4);
  img.writeUInt32BE(0x803, 0);
  img.writeUInt32BE(n, 4);
  img.writeUInt32BE(2, 8);
  img.writeUInt32BE(2, 12);
  for (let i = 0; i < n * 4; i++) img[16 + i] = i * 9;
  const lab = Buffer.alloc(8 + n);
  lab.writeUInt32BE(0x801, 0);
  lab.writeUInt32BE(n, 4);
  for (let i = 0; i < n; i++) lab[8 + i] = (i * 3) % 5;
  await writeTree(dir, { 'i.gz': gzipSync(img), l: lab, 'l.short': lab.subarray(0, 10) });
  const src = await readIdx(path.join(dir, 'i.gz'), path.join(dir, 'l'));
  assert.equal(src.items.length, n);
  assert.deepEqual(src.classes, ['0', '1', '2', '3', '4']);
  assert.deepEqual(
    src.items.map((i) => i.label),
    [0, 3, 1, 4, 2, 0, 3],
  );
  assert.deepEqual(Array.from(src.raw!.pixels.subarray(4, 8)), [36, 45, 54, 63]);
  await assert.rejects(readIdx(path.join(dir, 'l'), path.join(dir, 'i.gz')), /not an MNIST-style IDX file/);
  await assert.rejects(readIdx(path.join(dir, 'i.gz'), path.join(dir, 'l.short')), /does not match/);
});

test('Fashion-MNIST from the Debian package loads through the IDX path', async (t) => {
  const base = '/usr/share/datasets/fashion-mnist';
  const images = path.join(base, 't10k-images-idx3-ubyte.gz');
  const exists = await fs.stat(images).then(
    () => true,
    () => false,
  );
  if (!exists) return t.skip('dataset-fashion-mnist is not installed');
  const src = await readIdx(images, path.join(base, 't10k-labels-idx1-ubyte.gz'));
  assert.equal(src.items.length, 10000);
  assert.equal(src.classes.length, 10);
  assert.deepEqual([src.raw!.width, src.raw!.height], [28, 28]);
});

test('folder: symbolic links to class folders and files are followed (like ImageFolder), loops are not', async () => {
  const dir = await tmp();
  const png = await quadrant(8, 8).png().toBuffer();
  await writeTree(dir, { 'store/cats/1.png': png, 'store/dogs/2.png': png, 'data/birds/3.png': png });
  await fs.symlink(path.join(dir, 'store', 'cats'), path.join(dir, 'data', 'cats'));
  await fs.symlink(path.join(dir, 'store', 'dogs', '2.png'), path.join(dir, 'data', 'birds', 'linked.png'));
  await fs.symlink(path.join(dir, 'data', 'birds'), path.join(dir, 'data', 'birds', 'loop')); // a cycle
  const src = await listFolder(path.join(dir, 'data'));
  assert.deepEqual(src.classes, ['birds', 'cats']);
  assert.deepEqual(
    src.items.map((i) => i.path),
    ['birds/3.png', 'birds/linked.png', 'cats/1.png'],
  );
});
