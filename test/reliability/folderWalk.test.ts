/**
 * Issue 9, item 4: the folder walk never leaves a class's folder through a link, never lists a folder twice (so no
 * image gets a second, wrong label), and reports loops and dangling links as such instead of counting them as
 * "non-image files".
 */
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { openImages, writeImages } from '../../packages/loader/src/index.ts';
import { quadrant, tmp, writeTree } from '../../packages/loader/test/fixtures.ts';

async function tree() {
  const dir = await tmp();
  const png = await quadrant(8, 8).png().toBuffer();
  const files: Record<string, Buffer> = {};
  for (let i = 0; i < 4; i++) {
    files[`data/a/${i}.png`] = png;
    files[`data/b/${i}.png`] = png;
  }
  await writeTree(dir, files);
  return path.join(dir, 'data');
}

test('a link to the parent folder inside a class does not load other classes again', async () => {
  const data = await tree();
  await fs.symlink('..', path.join(data, 'a', 'up'));
  await fs.symlink('../b', path.join(data, 'a', 'bb'));
  const out = path.join(data, '..', 'o.arrow');
  const s = await writeImages(out, { folder: data }, { size: 8 });
  assert.equal(s.rows, 8, 'each image once');
  const f = await openImages(out);
  const labels = Array.from(await f.labels());
  const paths = await f.paths();
  await f.close();
  for (let i = 0; i < paths.length; i++) assert.equal(f.classes[labels[i]], paths[i].split('/')[0], paths[i]);
  const reasons = Object.fromEntries(s.badFiles.map((b) => [b.path, b.reason]));
  assert.deepEqual(reasons, { 'a/bb': 'already-listed', 'a/up': 'symlink-loop' });
  assert.match(s.badFiles.find((b) => b.path === 'a/bb')!.message, /class b/);
});

test('dangling links and link loops are reported as such, not as ignored files', async () => {
  const data = await tree();
  await fs.symlink('nowhere.png', path.join(data, 'a', 'gone.png'));
  await fs.symlink('self', path.join(data, 'b', 'self'));
  const s = await writeImages(path.join(data, '..', 'o.arrow'), { folder: data }, { size: 8 });
  assert.equal(s.rows, 8);
  assert.equal(s.ignored, 0);
  const reasons = Object.fromEntries(s.badFiles.map((b) => [b.path, b.reason]));
  assert.deepEqual(reasons, { 'a/gone.png': 'dangling-link', 'b/self': 'symlink-loop' });
  await assert.rejects(
    writeImages(path.join(data, '..', 'p.arrow'), { folder: data }, { size: 8, strict: true }),
    /The folder entry a\/gone\.png cannot be used \(dangling-link\)/,
  );
});

test('two class folders that are one folder through a link are an error naming both', async () => {
  const data = await tree();
  await fs.symlink('a', path.join(data, 'c'));
  await assert.rejects(
    writeImages(path.join(data, '..', 'o.arrow'), { folder: data }, { size: 8 }),
    /The class folders a and c in .* overlap/,
  );
});
