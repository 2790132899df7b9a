/**
 * Issue 9, item 7: triplets mined from another images file are refused — the row count recorded at mining time is
 * checked, and every triplet must fit the images' labels (anchor and positive one class, negative another).
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { Int32 } from 'apache-arrow';
import {
  field,
  fixedSizeListData,
  float32ListType,
  int32Data,
  isTripletkitError,
  Rng,
  recordBatch,
  schemaOf,
  writeArrow,
} from '../../packages/common/src/index.ts';
import { tmp } from '../../packages/loader/test/fixtures.ts';
import { mine, mineFile, writeTriplets } from '../../packages/miner/src/index.ts';
import { readTriplets } from '../../packages/trainer/src/data/tripletsFile.ts';
import { mnistDigits } from '../../packages/trainer/test/helpers/mnistImages.ts';

async function embeddings(file: string, labels: Int32Array) {
  const rng = new Rng(3);
  const dim = 4;
  const schema = schemaOf([field('embedding', float32ListType(dim)), field('label', new Int32())]);
  const v = Float32Array.from({ length: labels.length * dim }, () => rng.next());
  await writeArrow(file, schema, [recordBatch(schema, [fixedSizeListData(v, dim), int32Data(labels)])]);
  return v;
}

test('triplets mined from 120 rows are refused for a 160-row images file', async () => {
  const dir = await tmp();
  const labels160 = mnistDigits(0, 160).labels;
  await embeddings(path.join(dir, 'e120.arrow'), labels160.slice(0, 120));
  await mineFile({ embeddings: path.join(dir, 'e120.arrow'), strategy: 'all', output: path.join(dir, 't.arrow') });
  await assert.rejects(
    readTriplets(path.join(dir, 't.arrow'), 160, labels160),
    (e: unknown) => isTripletkitError(e, 'E_DATA') && /mined from 120 rows but the images file has 160/.test(String(e)),
  );
  // The right file passes.
  await embeddings(path.join(dir, 'e160.arrow'), labels160);
  await mineFile({ embeddings: path.join(dir, 'e160.arrow'), strategy: 'all', output: path.join(dir, 'u.arrow') });
  const ok = await readTriplets(path.join(dir, 'u.arrow'), 160, labels160);
  assert.ok(ok.anchors.length > 0);
});

test('triplets without a recorded source are checked against the labels', async () => {
  const dir = await tmp();
  const labels = mnistDigits(0, 160).labels;
  const v = await embeddings(path.join(dir, 'e.arrow'), labels);
  const t = mine(v, 4, labels, { strategy: 'all' });
  await writeTriplets(path.join(dir, 'bare.arrow'), [t], {});
  assert.ok((await readTriplets(path.join(dir, 'bare.arrow'), 160, labels)).anchors.length > 0);
  const other = Int32Array.from(labels, (_, i) => Math.floor(i / 16)); // another file's labels, same row count
  await assert.rejects(
    readTriplets(path.join(dir, 'bare.arrow'), 160, other),
    (e: unknown) => isTripletkitError(e, 'E_DATA') && /not mined from these images: row \d+/.test(String(e)),
  );
});
