import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { isTripletkitError } from '@tripletkit/common';
import { type BadFile, openImages, writeImages } from '../src/index.ts';
import { badFiles, quadrant, tmp, writeTree } from './fixtures.ts';

async function datasetWithBadFiles(): Promise<string> {
  const dir = await tmp();
  const good = await quadrant(40, 40).png().toBuffer();
  const bad = await badFiles();
  await writeTree(dir, {
    'a/good1.png': good,
    'a/good2.png': good,
    'b/good3.png': good,
    ...Object.fromEntries(Object.entries(bad).map(([name, data]) => [`b/${name}`, data])),
  });
  return dir;
}

test('bad files are skipped with a reason each; the good ones are written; the errors file lists them', async () => {
  const dir = await datasetWithBadFiles();
  const out = path.join(dir, 'out.arrow');
  const errorsPath = path.join(dir, 'errors.jsonl');
  const seen: BadFile[] = [];
  const s = await writeImages(
    out,
    { folder: dir },
    { size: 16, limitInputPixels: 10000, errorsPath, onBadFile: (b) => seen.push(b) },
  );
  assert.equal(s.total, 8);
  assert.equal(s.rows, 3);
  assert.equal(s.skipped, 5);
  const reasons = Object.fromEntries(s.badFiles.map((b) => [path.basename(b.path), b.reason]));
  assert.equal(reasons['empty.png'], 'empty');
  assert.equal(reasons['not-an-image.jpg'], 'not-an-image');
  assert.equal(reasons['huge.png'], 'too-many-pixels');
  assert.equal(reasons['truncated.jpg'], 'truncated');
  assert.ok(['corrupt', 'truncated'].includes(reasons['corrupt.jpg']), reasons['corrupt.jpg']);
  for (const b of s.badFiles) assert.ok(b.message.length > 0);
  assert.deepEqual(seen, s.badFiles);
  const lines = (await fs.readFile(errorsPath, 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.deepEqual(lines, s.badFiles);
  const images = await openImages(out);
  assert.deepEqual(await images.paths(), ['a/good1.png', 'a/good2.png', 'b/good3.png']);
  assert.deepEqual(Array.from(await images.labels()), [0, 0, 1]);
  await images.close();
});

test('strict: the first bad file stops the run with E_IMAGE naming it, and no output is left', async () => {
  const dir = await datasetWithBadFiles();
  const out = path.join(dir, 'out.arrow');
  await assert.rejects(
    writeImages(out, { folder: dir }, { size: 16, strict: true }),
    (err: unknown) => isTripletkitError(err, 'E_IMAGE') && /b\/corrupt\.jpg/.test((err as Error).message),
  );
  assert.equal(existsSync(out), false);
  assert.deepEqual(
    (await fs.readdir(dir)).filter((f) => f.includes('.tmp')),
    [],
    'no temporary file left behind',
  );
});

test('a run where every image is bad fails with E_EMPTY and writes nothing', async () => {
  const dir = await tmp();
  await writeTree(dir, { 'a/x.png': Buffer.alloc(0), 'a/y.jpg': 'nope' });
  const out = path.join(dir, 'out.arrow');
  await assert.rejects(writeImages(out, { folder: dir }, { size: 8 }), (e: unknown) => isTripletkitError(e, 'E_EMPTY'));
  assert.equal(existsSync(out), false);
});

test('an existing good output survives a failed run untouched', async () => {
  const dir = await tmp();
  await writeTree(dir, { 'a/x.png': await quadrant(8, 8).png().toBuffer() });
  const out = path.join(dir, 'out.arrow');
  await writeImages(out, { folder: dir }, { size: 8 });
  const before = await fs.readFile(out);
  await writeTree(dir, { 'a/z.png': Buffer.alloc(0) });
  await assert.rejects(writeImages(out, { folder: dir }, { size: 8, strict: true }));
  assert.deepEqual(await fs.readFile(out), before);
});

test('bad arguments are clear errors', async () => {
  const dir = await tmp();
  await writeTree(dir, { 'a/x.png': await quadrant(8, 8).png().toBuffer() });
  const out = path.join(dir, 'o.arrow');
  await assert.rejects(
    writeImages(out, { folder: dir }, { size: -3 }),
    /Expected positive integer for size but received -3/,
  );
  await assert.rejects(
    writeImages(out, { folder: dir }, { size: 8, channels: 2 as 1 }),
    /Expected 1 or 3 for channels but received 2/,
  );
  await assert.rejects(
    writeImages(out, { folder: dir }, { size: 8, fit: 'stretch' as 'fill' }),
    /Expected one of cover, contain, fill for fit/,
  );
  await assert.rejects(writeImages(out, { folder: path.join(dir, 'nope') }, {}), (e: unknown) =>
    isTripletkitError(e, 'E_NOT_FOUND'),
  );
  await assert.rejects(writeImages(out, { nothing: 1 } as never, {}), (e: unknown) => isTripletkitError(e, 'E_ARG'));
});
