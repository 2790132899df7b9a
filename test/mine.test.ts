import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
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
} from '../packages/common/src/index.ts';
import { mine } from '../packages/miner/src/index.ts';
import { runCli, tempDir } from './helpers/cli.ts';

const dir = await tempDir('tripletkit-mine-cli-');
after(() => fs.rm(dir, { recursive: true, force: true }));
const at = (f: string) => path.join(dir, f);

const n = 30;
const dim = 4;
const emb = new Float32Array(n * dim).map((_, i) => Math.fround(Math.sin(i * 0.7) * 2));
const labels = Int32Array.from({ length: n }, (_, i) => i % 3);
const schema = schemaOf([field('embedding', float32ListType(dim)), field('label', int32Data(labels).type)], {
  'tripletkit.kind': 'embeddings',
});
await writeArrow(at('emb.arrow'), schema, [recordBatch(schema, [fixedSizeListData(emb, dim), int32Data(labels)])]);

async function column(file: string, name: string): Promise<number[]> {
  const src = await openArrow(file);
  const out: number[] = [];
  for await (const b of src.batches()) out.push(...(b.getChild(name)?.toArray() ?? []));
  await src.close();
  return out;
}

test('tripletkit mine --json: one JSON summary on stdout, the exact triplets in the file', async () => {
  const r = await runCli(['mine', '-e', at('emb.arrow'), '-s', 'semi-hard', '-o', at('mined.arrow'), '--json']);
  assert.equal(r.code, 0, r.stderr);
  const summary = JSON.parse(r.stdout);
  const want = mine(emb, dim, labels, { strategy: 'semi-hard' });
  assert.equal(summary.triplets, want.anchors.length);
  assert.ok(summary.triplets > 0);
  for (const key of ['anchorsWithoutPositive', 'anchorsWithoutNegative', 'seconds', 'tripletsPerSecond']) {
    assert.equal(typeof summary[key], 'number', key);
  }
  assert.deepEqual(await column(at('mined.arrow'), 'negative'), Array.from(want.negatives));
  assert.equal(r.stderr, ''); // no progress bar without a TTY
});

test('tripletkit mine: caps, cosine, --no-normalize, shards and the stream format', async () => {
  const args = ['-e', at('emb.arrow'), '-s', 'all', '--distance', 'cosine', '--no-normalize', '--max-per-anchor', '4'];
  const whole = await runCli(['mine', ...args, '--seed', '7', '-o', at('whole.arrow')]);
  assert.equal(whole.code, 0, whole.stderr);
  assert.match(whole.stdout, /all triplets from 30 anchors/);
  const want = mine(emb, dim, labels, {
    strategy: 'all',
    distance: 'cosine',
    normalize: false,
    maxPerAnchor: 4,
    seed: 7,
  });
  assert.deepEqual(await column(at('whole.arrow'), 'positive'), Array.from(want.positives));
  const parts: number[] = [];
  for (const i of [0, 1]) {
    const r = await runCli([
      'mine',
      ...args,
      '--seed',
      '7',
      '--shard',
      `${i}/2`,
      '--format',
      'stream',
      '-o',
      at(`p${i}.arrow`),
    ]);
    assert.equal(r.code, 0, r.stderr);
    parts.push(...(await column(at(`p${i}.arrow`), 'anchor')));
  }
  assert.deepEqual(parts, Array.from(want.anchors));
});

test('tripletkit mine: bad input → one sentence on stderr, exit 1, no output file', async () => {
  await fs.writeFile(at('bad.arrow'), 'not arrow at all');
  const r = await runCli(['mine', '-e', at('bad.arrow'), '-s', 'all', '-o', at('never.arrow')]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^tripletkit: The embeddings file .*bad\.arrow is not an Arrow IPC file/);
  assert.doesNotMatch(r.stderr, /at .*\.ts:\d+/); // no stack trace without --verbose
  assert.deepEqual(
    (await fs.readdir(dir)).filter((f) => f.includes('never')),
    [],
  );
  const s = await runCli(['mine', '-e', at('emb.arrow'), '-s', 'all', '--shard', '3/3', '-o', at('never.arrow')]);
  assert.equal(s.code, 2, 'a bad option value is a usage error');
  assert.match(s.stderr, /--shard/);
  const t = await runCli(['mine', '-e', at('emb.arrow'), '-s', 'all', '--tile-size', '0', '-o', at('never.arrow')]);
  assert.equal(t.code, 2);
  assert.match(t.stderr, /Expected positive integer for --tile-size but received 0/); // the flag as typed
});

test('tripletkit mine --help lists the contract flags', async () => {
  const r = await runCli(['mine', '--help']);
  assert.equal(r.code, 0);
  for (const flag of [
    '--embeddings',
    '--strategy',
    '--margin',
    '--distance',
    '--normalize',
    '--max-per-anchor',
    '--negatives-per-pair',
    '--pick',
    '--seed',
    '--reference',
    '--shard',
    '--tile-size',
    '--workers',
    '--format',
  ]) {
    assert.match(r.stdout, new RegExp(flag));
  }
});
