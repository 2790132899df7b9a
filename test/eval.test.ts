import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import {
  field,
  fixedSizeListData,
  float32ListType,
  int32Data,
  recordBatch,
  schemaOf,
  writeArrow,
} from '../packages/common/src/index.ts';
import { runCli, tempDir } from './helpers/cli.ts';

/** Writes an embeddings file; without `classes`, no metadata at all (as pyarrow or polars would write it). */
async function writeEmbeddings(
  file: string,
  values: number[],
  dim: number,
  labels: number[],
  o: { classes?: string[]; format?: 'file' | 'stream' } = {},
) {
  const lab = int32Data(Int32Array.from(labels));
  const schema = schemaOf(
    [field('embedding', float32ListType(dim)), field('label', lab.type)],
    o.classes ? { 'tripletkit.kind': 'embeddings', 'tripletkit.classes': JSON.stringify(o.classes) } : {},
  );
  await writeArrow(file, schema, [recordBatch(schema, [fixedSizeListData(Float32Array.from(values), dim), lab])], {
    format: o.format ?? 'file',
  });
}

test('tripletkit eval --json: the hand-computed case (queries are the reference set)', async () => {
  const dir = await tempDir();
  const file = path.join(dir, 'e.arrow');
  // 1-D points [0, 1, 2, 5, 20], labels [0, 1, 0, 0, 1]: P@1 = 1/5, R-precision = 1.5/5, MAP@R = 1/5 (worked out in
  // packages/miner/test/metrics.test.ts).
  await writeEmbeddings(file, [0, 1, 2, 5, 20], 1, [0, 1, 0, 0, 1], { format: 'stream' });
  const r = await runCli(['eval', '--embeddings', file, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const m = JSON.parse(r.stdout);
  assert.ok(Math.abs(m.precisionAt1 - 0.2) < 1e-12);
  assert.ok(Math.abs(m.rPrecision - 0.3) < 1e-12);
  assert.ok(Math.abs(m.mapAtR - 0.2) < 1e-12);
  assert.equal(m.queries, 5);
  assert.equal(m.sameSource, true);
  assert.equal(m.perClass.length, 2);
});

test('tripletkit eval: a readable table with class names, and a separate reference file', async () => {
  const dir = await tempDir();
  const q = path.join(dir, 'q.arrow');
  const ref = path.join(dir, 'r.arrow');
  await writeEmbeddings(q, [1, 0, 10, 0], 2, [0, 2], { classes: ['cat', 'dog', 'eel'] });
  await writeEmbeddings(ref, [1, 0, 2, 0, 11, 0], 2, [0, 1, 0], { classes: ['cat', 'dog', 'eel'] });
  const r = await runCli(['eval', '--embeddings', q, '--reference', ref]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /all queries\s+1\s+100\.00%\s+50\.00%\s+50\.00%/);
  assert.match(r.stdout, /cat\s+1\s+2\s+100\.00%/);
  assert.match(r.stdout, /eel\s+0 \(\+1 excl\.\)\s+0\s+—/);
  assert.match(r.stdout, /2 queries against 3 references; euclidean; 1 queries had no same-class reference/);
});

test('tripletkit eval: bad input is one sentence and a non-zero exit', async () => {
  const dir = await tempDir();
  const missing = await runCli(['eval', '--embeddings', path.join(dir, 'nope.arrow')]);
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr, /The embeddings file .*nope\.arrow does not exist/);
  const none = await runCli(['eval']);
  assert.notEqual(none.code, 0);
  assert.match(none.stderr, /Nothing to evaluate/);
  const a = path.join(dir, 'a.arrow');
  const b = path.join(dir, 'b.arrow');
  await writeEmbeddings(a, [0, 1], 1, [0, 0]);
  await writeEmbeddings(b, [0, 1, 2, 3], 2, [0, 0]);
  const dims = await runCli(['eval', '-e', a, '-r', b]);
  assert.notEqual(dims.code, 0);
  assert.match(dims.stderr, /2-dimensional rows but .* has 1/);
});

test('tripletkit eval --images: raw pixels as the baseline, and --model embeds them first', async () => {
  const dir = await tempDir();
  // Tiny real data: 8 MNIST digits per class for 3 classes, written as PNG folders and loaded by the loader.
  const { exportMnist } = await import('../packages/demo/src/exportMnist.ts');
  const data = await exportMnist({ out: path.join(dir, 'mnist'), trainPerClass: 8, testPerClass: 4 });
  for (const d of ['3', '4', '5', '6', '7', '8', '9']) {
    await fs.rm(path.join(data.train, d), { recursive: true });
    await fs.rm(path.join(data.test, d), { recursive: true });
  }
  const train = path.join(dir, 'train.arrow');
  const test = path.join(dir, 'test.arrow');
  assert.equal((await runCli(['load', data.train, '--channels', '1', '-o', train])).code, 0);
  assert.equal((await runCli(['load', data.test, '--channels', '1', '-o', test])).code, 0);

  const raw = await runCli(['eval', '--images', test, '--json']);
  assert.equal(raw.code, 0, raw.stderr);
  const r = JSON.parse(raw.stdout);
  assert.equal(r.source, 'raw-pixels');
  assert.equal(r.dim, 784);
  assert.equal(r.queries, 12);
  assert.deepEqual(r.classes, ['0', '1', '2']);
  // Same numbers as evaluating the pixels directly with the metrics library.
  const { openImages } = await import('../packages/loader/src/index.ts');
  const { retrievalMetrics } = await import('../packages/miner/src/index.ts');
  const images = await openImages(test);
  const labels = await images.labels();
  const { pixels } = await images.readRows(Array.from({ length: images.numRows }, (_, i) => i));
  await images.close();
  const expected = retrievalMetrics(
    Float32Array.from(pixels, (v) => v / 255),
    784,
    labels,
  );
  assert.equal(r.precisionAt1, expected.precisionAt1);
  assert.equal(r.mapAtR, expected.mapAtR);

  const vsTrain = await runCli(['eval', '--images', test, '--reference-images', train, '--json']);
  assert.equal(vsTrain.code, 0, vsTrain.stderr);
  assert.equal(JSON.parse(vsTrain.stdout).references, 24);

  const run = path.join(dir, 'run');
  const t = await runCli([
    'train',
    '--images',
    train,
    '--mining',
    'semi-hard',
    '-p',
    '3',
    '-k',
    '4',
    '--epochs',
    '1',
    '-o',
    run,
  ]);
  assert.equal(t.code, 0, t.stderr);
  const withModel = await runCli(['eval', '--model', path.join(run, 'model'), '--images', test, '--json']);
  assert.equal(withModel.code, 0, withModel.stderr);
  const m = JSON.parse(withModel.stdout);
  assert.equal(m.source, 'model');
  assert.equal(m.dim, 64);
  assert.equal(m.queries, 12);

  const both = await runCli(['eval', '--images', test, '--embeddings', test]);
  assert.notEqual(both.code, 0);
  assert.match(both.stderr, /either --embeddings or --images, not both/);
  const lone = await runCli(['eval', '--model', run]);
  assert.notEqual(lone.code, 0);
  assert.match(lone.stderr, /--model needs --images/);
});
