import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { blockMiner } from '../src/core/mineBlock.ts';
import { MaterializedBlock, materialize } from '../src/core/pendingBlock.ts';
import { prepare } from '../src/core/prepare.ts';
import { resolveOptions } from '../src/core/resolveOptions.ts';
import type { MineOptions } from '../src/core/types.ts';
import { nativeAddon } from '../src/distances/distanceTile.ts';
import { DEFAULT_MAX_TRIPLETS, emptyTriplets, mine, mineStream } from '../src/index.ts';
import { writeTripletBlocks } from '../src/io/tripletFileWriter.ts';
import { writeTriplets } from '../src/io/writeTriplets.ts';
import { useNativeExpansion } from '../src/strategies/expandRecords.ts';

const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tripletkit-writer-'));
after(() => fs.rm(dir, { recursive: true, force: true }));

function noisy(n: number, dim: number, classes: number, seed: number) {
  let s = seed;
  const u = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
  const emb = new Float32Array(n * dim).map(() => u());
  const labels = Int32Array.from({ length: n }, (_, i) => (i * 7) % classes);
  return { emb, labels };
}

/** Each anchor block of `options` as a pending block (fresh miner each call). */
function pending(emb: Float32Array, dim: number, labels: Int32Array, options: MineOptions) {
  const o = resolveOptions(options);
  const p = prepare(emb, dim, labels, undefined, o);
  const miner = blockMiner(p, o);
  const blocks = [];
  for (let a = 0; a < labels.length; a += o.tileSize)
    blocks.push(miner.scan(a, Math.min(labels.length, a + o.tileSize)));
  return blocks;
}

const META = { 'tripletkit.strategy': 'semi-hard', 'tripletkit.margin': '0.2' };

for (const format of ['file', 'stream'] as const) {
  test(`the chunked writer writes writeTriplets' bytes (${format} format, chunks smaller than a block)`, async () => {
    const { emb, labels } = noisy(150, 5, 4, 7);
    for (const strategy of ['semi-hard', 'all', 'hard'] as const) {
      const options: MineOptions = { strategy, tileSize: 64 };
      const ref = path.join(dir, `ref-${format}-${strategy}.arrow`);
      const parts = pending(emb, 5, labels, options).map((b) => materialize(b));
      await writeTriplets(ref, parts, META, { format });
      // Chunks of 150 rows (= one positive's most) cut every block in many places, mid-anchor included.
      for (const chunkRows of [150, 1000, 1 << 18]) {
        const out = path.join(dir, `out-${format}-${strategy}-${chunkRows}.arrow`);
        const r = await writeTripletBlocks(out, pending(emb, 5, labels, options), META, { format, chunkRows });
        assert.deepEqual(await fs.readFile(out), await fs.readFile(ref), `${strategy}, chunks of ${chunkRows}`);
        assert.equal(
          r.rows,
          parts.reduce((n, p) => n + p.anchors.length, 0),
        );
      }
    }
  });
}

test('the chunked writer takes materialized blocks (capped strategies, worker results) and skips empty ones', async () => {
  const { emb, labels } = noisy(90, 4, 3, 11);
  const options: MineOptions = { strategy: 'all', maxPerAnchor: 3, tileSize: 32 };
  const parts = pending(emb, 4, labels, options).map((b) => materialize(b));
  parts.splice(1, 0, emptyTriplets());
  const ref = path.join(dir, 'capped-ref.arrow');
  const out = path.join(dir, 'capped-out.arrow');
  await writeTriplets(ref, parts, META);
  await writeTripletBlocks(
    out,
    parts.map((t) => new MaterializedBlock(t)),
    META,
    { chunkRows: 7 },
  );
  assert.deepEqual(await fs.readFile(out), await fs.readFile(ref));
});

test('native expansion equals the TypeScript expansion, whole anchors and positive by positive', {
  skip: nativeAddon?.expand ? false : 'native addon without expand()',
}, async () => {
  const { emb, labels } = noisy(200, 6, 5, 3);
  for (const strategy of ['semi-hard', 'all', 'easy'] as const) {
    const options: MineOptions = { strategy, distance: strategy === 'easy' ? 'cosine' : 'euclidean', tileSize: 70 };
    const was = useNativeExpansion(false);
    const js = pending(emb, 6, labels, options);
    const ref = path.join(dir, `js-${strategy}.arrow`);
    await writeTripletBlocks(ref, js, META, { chunkRows: 201 });
    useNativeExpansion(was);
    const out = path.join(dir, `native-${strategy}.arrow`);
    await writeTripletBlocks(out, pending(emb, 6, labels, options), META, { chunkRows: 201 });
    assert.deepEqual(await fs.readFile(out), await fs.readFile(ref), strategy);
    const fast = mine(emb, 6, labels, options);
    useNativeExpansion(false);
    assert.deepEqual(fast, mine(emb, 6, labels, options));
    useNativeExpansion(was);
  }
});

test('mine() refuses a result over maxTriplets before allocating it, with a one-line pointer to mineStream()', async () => {
  const { emb, labels } = noisy(120, 4, 3, 5);
  const all = mine(emb, 4, labels, { strategy: 'all', tileSize: 40 });
  assert.ok(all.anchors.length > 1000);
  assert.deepEqual(mine(emb, 4, labels, { strategy: 'all', tileSize: 40, maxTriplets: all.anchors.length }), all);
  assert.throws(
    () => mine(emb, 4, labels, { strategy: 'all', tileSize: 40, maxTriplets: 1000 }),
    (e: Error & { code?: string; hint?: string }) => {
      assert.equal(e.code, 'E_BUDGET');
      assert.match(e.message, /more than maxTriplets = 1,000/);
      assert.doesNotMatch(e.message, /\n/);
      assert.match(e.hint ?? '', /mineStream\(\)/);
      return true;
    },
  );
  assert.throws(() => mine(emb, 4, labels, { maxTriplets: -1 }), /maxTriplets/);
  // mineStream has no budget: it never holds the whole output.
  let n = 0;
  for await (const part of mineStream(emb, 4, labels, { strategy: 'all', tileSize: 40, maxTriplets: 10 })) {
    n += part.anchors.length;
  }
  assert.equal(n, all.anchors.length);
  assert.equal(DEFAULT_MAX_TRIPLETS, Math.floor(2 ** 31 / 20));
});
