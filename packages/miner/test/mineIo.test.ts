import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import {
  field,
  fixedSizeListData,
  float32ListType,
  int32Data,
  openArrow,
  recordBatch,
  schemaOf,
  writeArrow,
} from '@tripletkit/common';
import { Field, Float32, Int32, List, type RecordBatch, Table, tableToIPC, Utf8, vectorFromArray } from 'apache-arrow';
import pl from 'nodejs-polars';
import { mine, mineFile, readEmbeddings } from '../src/index.ts';

const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tripletkit-mine-io-'));
after(() => fs.rm(dir, { recursive: true, force: true }));
const at = (name: string) => path.join(dir, name);

function sample(n: number, dim: number, classes: number) {
  const emb = new Float32Array(n * dim).map((_, i) => Math.fround(Math.sin(i * 1.37) + Math.cos(i * 0.11)));
  const labels = Int32Array.from({ length: n }, (_, i) => (i * 5) % classes);
  return { emb, labels };
}

async function writeEmb(file: string, emb: Float32Array, labels: Int32Array, dim: number) {
  const schema = schemaOf([field('embedding', float32ListType(dim)), field('label', new Int32())], {
    'tripletkit.kind': 'embeddings',
  });
  await writeArrow(file, schema, [recordBatch(schema, [fixedSizeListData(emb, dim), int32Data(labels)])]);
}

async function readTriplets(file: string) {
  const src = await openArrow(file);
  const cols: Record<string, number[]> = { anchor: [], positive: [], negative: [], d_ap: [], d_an: [] };
  for await (const b of src.batches()) {
    for (const name of Object.keys(cols)) cols[name].push(...(b.getChild(name)?.toArray() ?? []));
  }
  await src.close();
  return { cols, metadata: src.metadata, format: src.format };
}

async function codeOf(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (e) {
    return e as { code: string; message: string };
  }
  assert.fail('expected an error');
}

test('round trip: mineFile writes exactly mine()’s triplets with the contract metadata (file and stream format)', async () => {
  const { emb, labels } = sample(50, 6, 4);
  await writeEmb(at('emb.arrow'), emb, labels, 6);
  const read = await readEmbeddings(at('emb.arrow'));
  assert.deepEqual(read.embeddings, emb);
  assert.deepEqual(read.labels, labels);
  const want = mine(emb, 6, labels, { strategy: 'semi-hard' });
  for (const format of ['file', 'stream'] as const) {
    const out = at(`mined-${format}.arrow`);
    const r = await mineFile({ embeddings: at('emb.arrow'), output: out, strategy: 'semi-hard', format });
    assert.equal(r.triplets, want.anchors.length);
    const got = await readTriplets(out);
    assert.equal(got.format, format);
    assert.deepEqual(got.cols.anchor, Array.from(want.anchors));
    assert.deepEqual(got.cols.positive, Array.from(want.positives));
    assert.deepEqual(got.cols.negative, Array.from(want.negatives));
    assert.deepEqual(got.cols.d_ap, Array.from(want.dAp));
    assert.deepEqual(got.cols.d_an, Array.from(want.dAn));
    assert.equal(got.metadata['tripletkit.kind'], 'triplets');
    assert.equal(got.metadata['tripletkit.strategy'], 'semi-hard');
    assert.equal(got.metadata['tripletkit.margin'], '0.2');
    assert.equal(got.metadata['tripletkit.distance'], 'euclidean');
    assert.deepEqual(JSON.parse(got.metadata['tripletkit.source']), { file: at('emb.arrow'), rows: 50 });
  }
});

test('a file written by nodejs-polars (LargeList<Float64>, Utf8View labels, no metadata) is mined', async () => {
  const rows = [
    [0.1, 0.2, 0.3],
    [0.2, 0.1, 0.3],
    [0.9, 0.8, 0.1],
    [0.8, 0.9, 0.2],
    [0.3, 0.3, 0.3],
    [0.7, 0.1, 0.9],
  ];
  const names = ['cat', 'cat', 'dog', 'dog', 'cat', 'bird'];
  pl.DataFrame({ embedding: rows, label: names, extra: [1, 2, 3, 4, 5, 6] }).writeIPC(at('polars.arrow'));
  const read = await readEmbeddings(at('polars.arrow'));
  assert.equal(read.dim, 3);
  assert.equal(read.labelKind, 'string');
  assert.deepEqual(read.embeddings, Float32Array.from(rows.flat()));
  assert.deepEqual(Array.from(read.labels), [0, 0, 1, 1, 0, 2]);
  const r = await mineFile({ embeddings: at('polars.arrow'), output: at('polars-mined.arrow'), strategy: 'all' });
  const want = mine(Float32Array.from(rows.flat()), 3, Int32Array.from([0, 0, 1, 1, 0, 2]), { strategy: 'all' });
  assert.equal(r.triplets, want.anchors.length);
  assert.equal(r.singleSampleClasses, 1); // bird
  assert.equal(r.anchorsWithoutPositive, 1);
});

test('a pyarrow-style file (List<Float32>, Utf8 labels, several batches, no metadata) is mined', async () => {
  const listType = new List(new Field('item', new Float32(), true));
  const batch = (vals: number[][], labs: string[]) =>
    new Table({ embedding: vectorFromArray(vals, listType), label: vectorFromArray(labs, new Utf8()) }).batches[0];
  const b1 = batch(
    [
      [1, 0],
      [0.9, 0.1],
    ],
    ['a', 'b'],
  );
  const b2 = batch(
    [
      [0, 1],
      [0.1, 0.9],
      [0.5, 0.5],
    ],
    ['b', 'a', 'a'],
  );
  await fs.writeFile(at('pyarrow.arrow'), tableToIPC(new Table([b1, b2] as RecordBatch[]), 'stream'));
  const read = await readEmbeddings(at('pyarrow.arrow'));
  assert.equal(read.rows, 5);
  assert.deepEqual(Array.from(read.labels), [0, 1, 1, 0, 0]);
  assert.deepEqual(read.embeddings, Float32Array.from([1, 0, 0.9, 0.1, 0, 1, 0.1, 0.9, 0.5, 0.5]));
  // Reference mode with string labels: names map to the same ids across files.
  await fs.writeFile(
    at('pyarrow-ref.arrow'),
    tableToIPC(
      new Table([
        batch(
          [
            [1, 1],
            [0, 0.5],
            [0.2, 0.2],
          ],
          ['c', 'a', 'c'],
        ),
      ] as RecordBatch[]),
    ),
  );
  const r = await mineFile({
    embeddings: at('pyarrow.arrow'),
    reference: at('pyarrow-ref.arrow'),
    output: at('ref.arrow'),
    strategy: 'all',
    margin: 10,
  });
  assert.equal(r.referenceRows, 3);
  assert.equal(r.classes, 3);
  // Anchors labelled a (rows 0, 3, 4) have the one reference `a` (row 1) as positive and the two `c` as negatives.
  const got = await readTriplets(at('ref.arrow'));
  assert.deepEqual(got.cols.anchor, [0, 0, 3, 3, 4, 4]);
  assert.deepEqual(got.cols.positive, [1, 1, 1, 1, 1, 1]);
  assert.deepEqual(got.cols.negative, [0, 2, 0, 2, 0, 2]);
});

test('bad input: one coded sentence naming the file/row, and no output file left behind', async (t) => {
  const out = at('bad-out.arrow');
  const run = (embeddings: string, extra: Record<string, unknown> = {}) =>
    codeOf(mineFile({ embeddings, output: out, strategy: 'all', ...extra }));
  const cases: [string, () => Promise<string>, string, RegExp][] = [
    [
      'NaN',
      async () => {
        const { emb, labels } = sample(10, 3, 2);
        emb[7 * 3 + 1] = Number.NaN;
        await writeEmb(at('nan.arrow'), emb, labels, 3);
        return at('nan.arrow');
      },
      'E_DATA',
      /Row 7 of .*nan\.arrow has a NaN/,
    ],
    [
      'Inf',
      async () => {
        const { emb, labels } = sample(10, 3, 2);
        emb[4 * 3] = Number.POSITIVE_INFINITY;
        emb[8 * 3] = Number.NaN;
        await writeEmb(at('inf.arrow'), emb, labels, 3);
        return at('inf.arrow');
      },
      'E_DATA',
      /Row 4 of .*inf\.arrow has an infinite value/,
    ],
    [
      'dimension 0',
      async () => {
        const table = new Table({
          embedding: vectorFromArray([[], []], new List(new Field('item', new Float32(), true))),
          label: vectorFromArray([0, 1], new Int32()),
        });
        await fs.writeFile(at('dim0.arrow'), tableToIPC(table));
        return at('dim0.arrow');
      },
      'E_DATA',
      /dimension 0/,
    ],
    [
      'one class',
      async () => {
        const { emb } = sample(5, 2, 1);
        await writeEmb(at('one.arrow'), emb, new Int32Array(5).fill(3), 2);
        return at('one.arrow');
      },
      'E_DATA',
      /only one class \(label 3\)/,
    ],
    [
      'missing column',
      async () => {
        const vec = vectorFromArray([1, 2], new Int32());
        await fs.writeFile(at('nocol.arrow'), tableToIPC(new Table({ id: vec, klass: vec })));
        return at('nocol.arrow');
      },
      'E_SCHEMA',
      /no `embedding` column \(columns found: id, klass\)/,
    ],
    [
      'null label',
      async () => {
        const listType = new List(new Field('item', new Float32(), true));
        const table = new Table({
          embedding: vectorFromArray([[1], [2], [3]], listType),
          label: vectorFromArray([1, null, 2], new Int32()),
        });
        await fs.writeFile(at('nulllab.arrow'), tableToIPC(table));
        return at('nulllab.arrow');
      },
      'E_DATA',
      /Row 1 of .*nulllab\.arrow has a null label/,
    ],
    [
      'ragged lists',
      async () => {
        const listType = new List(new Field('item', new Float32(), true));
        const table = new Table({
          embedding: vectorFromArray([[1, 2], [2, 3], [3]], listType),
          label: vectorFromArray([1, 2, 2], new Int32()),
        });
        await fs.writeFile(at('ragged.arrow'), tableToIPC(table));
        return at('ragged.arrow');
      },
      'E_DATA',
      /Row 2 of .*ragged\.arrow has an embedding of 1 values/,
    ],
    [
      'empty table',
      async () => {
        await writeEmb(at('norows.arrow'), new Float32Array(0), new Int32Array(0), 4);
        return at('norows.arrow');
      },
      'E_EMPTY',
      /has no rows/,
    ],
    [
      'empty file',
      async () => {
        await fs.writeFile(at('zero.arrow'), '');
        return at('zero.arrow');
      },
      'E_EMPTY',
      /is empty/,
    ],
    [
      'not Arrow',
      async () => {
        await fs.writeFile(at('text.arrow'), 'label,embedding\n1,2\n');
        return at('text.arrow');
      },
      'E_NOT_ARROW',
      /is not an Arrow IPC file/,
    ],
    [
      'truncated',
      async () => {
        const { emb, labels } = sample(200, 16, 3);
        await writeEmb(at('whole.arrow'), emb, labels, 16);
        const bytes = await fs.readFile(at('whole.arrow'));
        await fs.writeFile(at('cut.arrow'), bytes.subarray(0, Math.floor(bytes.length / 2)));
        return at('cut.arrow');
      },
      'E_TRUNCATED',
      /cut\.arrow is truncated/,
    ],
    ['missing file', async () => at('nope.arrow'), 'E_NOT_FOUND', /nope\.arrow does not exist/],
  ];
  for (const [name, make, code, message] of cases) {
    await t.test(name, async () => {
      const err = await run(await make());
      assert.equal(err.code, code, err.message);
      assert.match(err.message, message);
      const left = (await fs.readdir(dir)).filter((f) => f.includes('bad-out'));
      assert.deepEqual(left, []);
    });
  }
});

test('--reference with a different dimension or label type is refused', async () => {
  const { emb, labels } = sample(6, 2, 2);
  await writeEmb(at('d2.arrow'), emb, labels, 2);
  const { emb: e3, labels: l3 } = sample(6, 3, 2);
  await writeEmb(at('d3.arrow'), e3, l3, 3);
  const r = await codeOf(
    mineFile({ embeddings: at('d2.arrow'), reference: at('d3.arrow'), output: at('x.arrow'), strategy: 'all' }),
  );
  assert.equal(r.code, 'E_SCHEMA');
  const s = await codeOf(
    mineFile({ embeddings: at('pyarrow.arrow'), reference: at('d2.arrow'), output: at('x.arrow'), strategy: 'all' }),
  );
  assert.match(s.message, /labels of .* are strings but those of .* are ints/);
});
