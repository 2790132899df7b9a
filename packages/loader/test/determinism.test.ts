import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { Rng } from '@tripletkit/common';
import sharp from 'sharp';
import { writeImages } from '../src/index.ts';
import { badFiles, tmp, writeTree } from './fixtures.ts';

test('output is byte-identical at any concurrency and batch layout is fixed (mixed formats, bad files)', async () => {
  const dir = await tmp();
  const rng = new Rng(11);
  const files: Record<string, Buffer> = {};
  for (let i = 0; i < 36; i++) {
    const w = 20 + rng.int(60);
    const h = 20 + rng.int(60);
    const px = Buffer.alloc(w * h * 3);
    for (let k = 0; k < px.length; k++) px[k] = (k * 7 + i * 13 + rng.int(40)) & 255;
    const img = sharp(px, { raw: { width: w, height: h, channels: 3 } });
    const kind = i % 4;
    const buf =
      kind === 0
        ? await img.jpeg().toBuffer()
        : kind === 1
          ? await img.png().toBuffer()
          : kind === 2
            ? await img.webp().toBuffer()
            : await img.toColourspace('b-w').png().toBuffer();
    files[`class${i % 3}/img${i}.${kind === 0 ? 'jpg' : kind === 2 ? 'webp' : 'png'}`] = buf;
  }
  const bad = await badFiles();
  files['class1/zz-bad.jpg'] = bad['corrupt.jpg'] as Buffer;
  await writeTree(dir, files);
  const outputs: Buffer[] = [];
  for (const concurrency of [1, 2, 3]) {
    const out = path.join(dir, `c${concurrency}.arrow`);
    const s = await writeImages(out, { folder: dir }, { size: 24, batchRows: 5, concurrency });
    assert.equal(s.rows, 36);
    assert.equal(s.skipped, 1);
    assert.equal(s.batches, 8);
    outputs.push(await fs.readFile(out));
  }
  assert.ok(outputs[0].equals(outputs[1]), 'concurrency 1 vs 2');
  assert.ok(outputs[0].equals(outputs[2]), 'concurrency 1 vs 3');
  // And run to run.
  const again = path.join(dir, 'again.arrow');
  await writeImages(again, { folder: dir }, { size: 24, batchRows: 5, concurrency: 2 });
  assert.ok(outputs[0].equals(await fs.readFile(again)));
});
