/**
 * Issue 9, item 10: RFC 4180 quoted newlines (and a BOM) in CSV manifests, non-UTF-8 class folder names, a resumed
 * epoch's loss averaged over the same steps it sums, and a NaN hint that names only a checkpoint that exists.
 * (`--max-per-anchor 0` is in outputErrors.test.ts.)
 */
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { isTripletkitError } from '../../packages/common/src/index.ts';
import { readManifest, writeImages } from '../../packages/loader/src/index.ts';
import { quadrant, tmp, writeTree } from '../../packages/loader/test/fixtures.ts';
import { train } from '../../packages/trainer/src/index.ts';
import { mnistDigits, writeDigits } from '../../packages/trainer/test/helpers/mnistImages.ts';

test('CSV: a quoted path with a newline, a BOM, CRLF line ends', async () => {
  const dir = await tmp();
  const png = await quadrant(8, 8).png().toBuffer();
  await writeTree(dir, { 'two\nlines.png': png, 'plain.png': png });
  const csv = path.join(dir, 'm.csv');
  await fs.writeFile(csv, '\uFEFFpath,label\r\n"two\nlines.png",cat\r\nplain.png,"dog, big"\r\n');
  const src = await readManifest(csv);
  assert.deepEqual(
    src.items.map((i) => [i.path, src.classes[i.label]]),
    [
      ['two\nlines.png', 'cat'],
      ['plain.png', 'dog, big'],
    ],
  );
});

test('a class folder whose name is not UTF-8 loads', async () => {
  const dir = await tmp();
  const png = await quadrant(8, 8).png().toBuffer();
  const data = path.join(dir, 'data');
  const latin1 = Buffer.concat([Buffer.from(`${data}/caf`), Buffer.from([0xe9])]);
  await fs.mkdir(latin1, { recursive: true });
  await fs.writeFile(Buffer.concat([latin1, Buffer.from('/1.png')]), png);
  await writeTree(data, { 'b/1.png': png });
  const s = await writeImages(path.join(dir, 'o.arrow'), { folder: data }, { size: 8 });
  assert.equal(s.rows, 2);
  assert.deepEqual(s.classes, ['b', 'caf\uFFFD']);
  assert.deepEqual(s.badFiles, []);
});

test('a resumed epoch logs the mean loss of the steps it ran', async () => {
  const dir = await tmp();
  const images = path.join(dir, 'train.arrow');
  await writeDigits(images, mnistDigits(0, 200));
  const out = path.join(dir, 'run');
  const base = { images, out, mining: 'semi-hard' as const, epochs: 1, p: 5, k: 4, workers: 1 };
  const stop = new AbortController();
  await assert.rejects(
    train({ ...base, signal: stop.signal, onStep: (s) => s.step === 3 && stop.abort() }),
    (e: unknown) => isTripletkitError(e, 'E_INTERRUPTED'),
  );
  const r = await train({ ...base, resume: true });
  const lines = (await fs.readFile(path.join(out, 'train.jsonl'), 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  const after = lines.filter((l) => l.type === 'step' && l.step > 3);
  assert.ok(after.length >= 2, `steps after the resume: ${after.length}`);
  const mean = after.reduce((s, l) => s + l.loss, 0) / after.length;
  assert.ok(Math.abs(r.epochs[0].loss - mean) < 1e-9, `${r.epochs[0].loss} vs ${mean}`);
});

test('a NaN in the first epoch does not name a checkpoint that does not exist', async () => {
  const dir = await tmp();
  const images = path.join(dir, 'train.arrow');
  await writeDigits(images, mnistDigits(0, 100));
  const out = path.join(dir, 'run');
  await assert.rejects(
    train({ images, out, mining: 'hard', epochs: 1, p: 5, k: 4, workers: 1, learningRate: 1e38, margin: 1e30 }),
    (e: unknown) => {
      assert.ok(isTripletkitError(e, 'E_TRAINING'), String(e));
      assert.doesNotMatch(e.hint ?? '', /kept in/);
      assert.match(e.hint ?? '', /No checkpoint was saved yet/);
      return true;
    },
  );
});
