import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { Int32 } from 'apache-arrow';
import {
  field,
  fixedSizeListData,
  fixedSizeListValues,
  float32ListType,
  int32Data,
  isTripletkitError,
  openArrow,
  recordBatch,
  schemaOf,
  writeArrow,
} from '../src/index.ts';

async function tmpdir(): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), 'tk-common-'));
}

function makeBatches(dim: number, rowsPerBatch: number[]) {
  const schema = schemaOf([field('embedding', float32ListType(dim)), field('label', new Int32())], {
    'tripletkit.kind': 'embeddings',
  });
  let next = 0;
  const batches = rowsPerBatch.map((n) => {
    const v = new Float32Array(n * dim).map(() => next++);
    return recordBatch(schema, [fixedSizeListData(v, dim), int32Data(new Int32Array(n).fill(n))]);
  });
  return { schema, batches, total: next };
}

for (const format of ['file', 'stream'] as const) {
  test(`round trip in ${format} format keeps values, batches and metadata`, async () => {
    const dir = await tmpdir();
    const out = path.join(dir, 'e.arrow');
    const { schema, batches, total } = makeBatches(3, [4, 2, 5]);
    const res = await writeArrow(out, schema, batches, { format });
    assert.deepEqual(res, { rows: 11, batches: 3 });
    assert.deepEqual(await fs.readdir(dir), ['e.arrow'], 'no temp file is left behind');
    const src = await openArrow(out);
    assert.equal(src.format, format);
    assert.equal(src.metadata['tripletkit.kind'], 'embeddings');
    const seen: number[] = [];
    for await (const b of src.batches()) {
      seen.push(...fixedSizeListValues<Float32Array>(b.getChild('embedding')!));
    }
    assert.deepEqual(
      seen,
      Array.from({ length: total }, (_, i) => i),
    );
    await src.close();
  });
}

test('a failing producer leaves no output and keeps an existing good file', async () => {
  const dir = await tmpdir();
  const out = path.join(dir, 'e.arrow');
  await fs.writeFile(out, 'previous good content');
  const { schema, batches } = makeBatches(2, [3]);
  async function* failing() {
    yield batches[0];
    throw new Error('boom');
  }
  await assert.rejects(writeArrow(out, schema, failing()), /boom/);
  assert.deepEqual(await fs.readdir(dir), ['e.arrow']);
  assert.equal(await fs.readFile(out, 'utf8'), 'previous good content');
});

test('bad files give coded errors naming the file', async () => {
  const dir = await tmpdir();
  const missing = path.join(dir, 'missing.arrow');
  await assert.rejects(openArrow(missing, 'embeddings file'), (e) => {
    return isTripletkitError(e, 'E_NOT_FOUND') && e.message.includes(missing);
  });
  const notArrow = path.join(dir, 'x.arrow');
  await fs.writeFile(notArrow, 'a,b\n1,2\n');
  await assert.rejects(openArrow(notArrow), (e) => isTripletkitError(e, 'E_NOT_ARROW') && e.message.includes(notArrow));
  const empty = path.join(dir, 'empty.arrow');
  await fs.writeFile(empty, '');
  await assert.rejects(openArrow(empty), (e) => isTripletkitError(e, 'E_EMPTY'));
  const good = path.join(dir, 'good.arrow');
  const { schema, batches } = makeBatches(4, [50, 50]);
  await writeArrow(good, schema, batches);
  const bytes = await fs.readFile(good);
  const cut = path.join(dir, 'cut.arrow');
  await fs.writeFile(cut, bytes.subarray(0, bytes.length - 100));
  await assert.rejects(
    (async () => {
      const src = await openArrow(cut);
      for await (const _ of src.batches());
    })(),
    (e) => isTripletkitError(e, 'E_TRUNCATED') && e.message.includes(cut),
  );
  await assert.rejects(openArrow(dir), (e) => isTripletkitError(e, 'E_UNREADABLE'));
});
