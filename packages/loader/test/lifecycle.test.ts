import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { isTripletkitError } from '@tripletkit/common';
import { loadImages, writeImages } from '../src/index.ts';
import { quadrant, tmp, writeTree } from './fixtures.ts';

async function smallSet(n: number): Promise<string> {
  const dir = await tmp();
  const png = await quadrant(12, 12).png().toBuffer();
  const files: Record<string, Buffer> = {};
  for (let i = 0; i < n; i++) files[`c${i % 2}/${String(i).padStart(3, '0')}.png`] = png;
  await writeTree(dir, files);
  return dir;
}

test('stopping early (break out of loadImages) shuts the decoding workers down', async () => {
  const dir = await smallSet(40);
  let batches = 0;
  for await (const b of loadImages({ folder: dir }, { size: 8, batchRows: 4, concurrency: 2 })) {
    assert.equal(b.numRows, 4);
    batches++;
    if (batches === 2) break;
  }
  assert.equal(batches, 2);
  // If the workers were still alive, this test file would never finish (node:test waits for the event loop).
});

test('an aborted run stops with E_INTERRUPTED and writes nothing', async () => {
  const dir = await smallSet(40);
  const out = path.join(dir, 'out.arrow');
  const controller = new AbortController();
  await assert.rejects(
    writeImages(
      out,
      { folder: dir },
      {
        size: 8,
        concurrency: 2,
        batchRows: 4,
        signal: controller.signal,
        onProgress: (done) => {
          if (done > 0) controller.abort();
        },
      },
    ),
    (e: unknown) => isTripletkitError(e, 'E_INTERRUPTED'),
  );
  assert.equal(existsSync(out), false);
});

test('progress is reported in input order up to the total', async () => {
  const dir = await smallSet(30);
  const seen: number[] = [];
  await writeImages(
    path.join(dir, 'o.arrow'),
    { folder: dir },
    {
      size: 8,
      concurrency: 2,
      onProgress: (done, total) => {
        assert.equal(total, 30);
        seen.push(done);
      },
    },
  );
  assert.equal(seen.at(-1), 30);
  assert.deepEqual(
    seen,
    [...seen].sort((a, b) => a - b),
  );
});
