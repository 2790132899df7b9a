import assert from 'node:assert/strict';
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
  assert.match(dims.stderr, /2-dimensional embeddings but .* has 1/);
});
