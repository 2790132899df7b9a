/**
 * Issue 9, item 3: one huge image does not decide the output size (median of sampled images, longer side capped at
 * 1024, said in the summary), and an output side sharp cannot make is a usage error (exit 2) before any work.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { openImages, writeImages } from '../../packages/loader/src/index.ts';
import { quadrant, tmp, writeTree } from '../../packages/loader/test/fixtures.ts';
import { runCli } from '../helpers/cli.ts';

test('a 3000² image sorting first does not upscale 32² images', async () => {
  const dir = await tmp();
  const small = await quadrant(32, 32).png().toBuffer();
  const huge = await quadrant(3000, 3000).png().toBuffer();
  const tree: Record<string, Buffer> = { 'a/000.png': huge };
  for (let i = 1; i <= 5; i++) {
    tree[`a/${i}.png`] = small;
    tree[`b/${i}.png`] = small;
  }
  await writeTree(path.join(dir, 'in'), tree);
  const out = path.join(dir, 'o.arrow');
  const s = await writeImages(out, { folder: path.join(dir, 'in') });
  assert.deepEqual([s.width, s.height], [32, 32]);
  assert.match(s.sizeRule ?? '', /median size of 11 sampled images/);
  assert.ok((await fs.stat(out)).size < 200_000);
  const f = await openImages(out);
  assert.equal(f.numRows, 11);
  await f.close();
});

test('the default longer side is capped at 1024 (aspect kept)', async () => {
  const dir = await tmp();
  const big = await quadrant(2400, 1200).png().toBuffer();
  await writeTree(path.join(dir, 'in'), { 'a/1.png': big, 'b/1.png': big });
  const s = await writeImages(path.join(dir, 'o.arrow'), { folder: path.join(dir, 'in') });
  assert.deepEqual([s.width, s.height], [1024, 512]);
  assert.match(s.sizeRule ?? '', /capped at 1024/);
});

test('--size 60000 is a usage error naming the option (exit 2), before decoding', async () => {
  const dir = await tmp();
  await writeTree(path.join(dir, 'in'), { 'a/1.png': await quadrant(8, 8).png().toBuffer() });
  const out = path.join(dir, 'o.arrow');
  const r = await runCli(['load', path.join(dir, 'in'), '--size', '60000', '-o', out]);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /^tripletkit: Expected an integer from 1 to 16383 .*size.* but received 60000/m);
  assert.doesNotMatch(r.stderr, /unexpected/);
  await assert.rejects(fs.stat(out));
});
