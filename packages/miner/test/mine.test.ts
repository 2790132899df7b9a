import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { allocTriplets, MaterializedBlock } from '../src/core/pendingBlock.ts';
import { concatTriplets } from '../src/core/tripletBuffer.ts';
import type { DistanceKind } from '../src/distances/index.ts';
import { DISTANCE_KINDS, isSimilarity } from '../src/distances/index.ts';
import { type MinedTriplets, mine, mineAsync, minePending, STRATEGIES, type Strategy } from '../src/index.ts';
import { lastAtMost } from '../src/strategies/float32Threshold.ts';
import { oracleMine, tuples } from './helpers/mineOracle.ts';

// Every registered strategy and distance (a new one is covered, and needs its rule in the oracle).
const STRATS: readonly Strategy[] = STRATEGIES;
const KINDS: readonly DistanceKind[] = DISTANCE_KINDS;

/** Small data sets: float or small-integer rows (exact ties), duplicated rows, 1–4 classes. */
const dataSet = fc
  .record({
    n: fc.integer({ min: 1, max: 24 }),
    dim: fc.integer({ min: 1, max: 4 }),
    classes: fc.integer({ min: 1, max: 4 }),
    ints: fc.boolean(),
    seed: fc.nat(),
  })
  .map(({ n, dim, classes, ints, seed }) => {
    let s = seed || 1;
    const rnd = () => {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      return s / 4294967296;
    };
    const emb = new Float32Array(n * dim);
    for (let i = 0; i < emb.length; i++) emb[i] = ints ? Math.floor(rnd() * 5) - 2 : rnd() * 2 - 1;
    // Duplicate some rows to create exact distance ties.
    for (let r = 1; r < n; r++) if (rnd() < 0.2) emb.copyWithin(r * dim, (r - 1) * dim, r * dim);
    const labels = Int32Array.from({ length: n }, () => Math.floor(rnd() * classes) * 3 - 1);
    return { emb, dim, labels, ints };
  });

const margins = fc.constantFrom(0.2, 0, 1, 2, 0.5, -0.25, 0.1);

test('every strategy × distance × normalisation equals the brute-force PML oracle (ties included)', () => {
  fc.assert(
    fc.property(
      dataSet,
      fc.constantFrom(...STRATS),
      fc.constantFrom(...KINDS),
      fc.boolean(),
      margins,
      fc.integer({ min: 1, max: 9 }),
      ({ emb, dim, labels }, strategy, distance, normalize, margin, tileSize) => {
        const o = { strategy, distance, normalize, margin };
        const got = tuples(mine(emb, dim, labels, { ...o, tileSize }));
        assert.deepEqual(got, oracleMine(emb, dim, labels, o));
      },
    ),
    { numRuns: 600 },
  );
});

test('a reference set (PML ref_emb): candidates from another set, no self-exclusion', () => {
  fc.assert(
    fc.property(
      dataSet,
      dataSet,
      fc.constantFrom(...STRATS),
      fc.constantFrom(...KINDS),
      fc.boolean(),
      margins,
      fc.integer({ min: 1, max: 7 }),
      (q, r, strategy, distance, normalize, margin, tileSize) => {
        const dim = q.dim;
        // Re-shape the reference rows to the query's dimension.
        const refRows = r.labels.length;
        const refEmb = new Float32Array(refRows * dim).map((_, i) => r.emb[i % r.emb.length]);
        const reference = { embeddings: refEmb, labels: r.labels };
        const o = { strategy, distance, normalize, margin, reference };
        const got = tuples(mine(q.emb, dim, q.labels, { ...o, tileSize }));
        assert.deepEqual(got, oracleMine(q.emb, dim, q.labels, o));
      },
    ),
    { numRuns: 300 },
  );
});

test('identical rows with the same label are positives of each other (only the anchor itself is excluded)', () => {
  const emb = new Float32Array([1, 0, 1, 0, 0, 1]);
  const labels = Int32Array.from([0, 0, 1]);
  const t = mine(emb, 2, labels, { strategy: 'easy' });
  assert.deepEqual(Array.from(t.anchors), [0, 1]);
  assert.deepEqual(Array.from(t.positives), [1, 0]);
  assert.deepEqual(Array.from(t.dAp), [0, 0]);
});

test('cosine inverts the comparisons: hard negatives are MORE similar than the positive', () => {
  // a=0 and p=1 similarity 0.6; n=2 similarity 0.8 → hard under cosine; n=3 similarity −1 → easy.
  const emb = new Float32Array([1, 0, 0.6, 0.8, 0.8, 0.6, -1, 0]);
  const labels = Int32Array.from([0, 0, 1, 2]);
  const hard = mine(emb, 2, labels, { strategy: 'hard', distance: 'cosine' });
  assert.deepEqual(
    tuples(hard)
      .filter((t) => t[0] === 0)
      .map((t) => t[2]),
    [2],
  );
  const easy = mine(emb, 2, labels, { strategy: 'easy', distance: 'cosine' });
  assert.deepEqual(
    tuples(easy)
      .filter((t) => t[0] === 0)
      .map((t) => t[2]),
    [3],
  );
  assert.ok(isSimilarity('cosine'));
});

test('NaN or Inf in an embedding is an E_DATA error naming the first bad row', () => {
  const emb = new Float32Array([0, 1, 1, 0, 0, Number.NaN, Number.POSITIVE_INFINITY, 0]);
  assert.throws(
    () => mine(emb, 2, Int32Array.from([0, 0, 1, 1]), {}),
    (e: Error & { code?: string }) => e.code === 'E_DATA' && /Row 2 /.test(e.message),
  );
});

test('argument errors are coded and name the option', () => {
  const emb = new Float32Array(8);
  const labels = Int32Array.from([0, 0, 1, 1]);
  assert.throws(() => mine(emb, 2, labels, { tileSize: -3 }), /Expected positive integer for tileSize but received -3/);
  assert.throws(() => mine(emb, 2, labels, { strategy: 'hardest' as Strategy }), /strategy/);
  assert.throws(() => mine(emb, 3, labels, {}), /multiple of dim/);
  assert.throws(() => mine(emb, 2, Int32Array.from([0, 1]), {}), /labels.length/);
  assert.throws(() => mine(emb, 2, labels, { strategy: 'batch-hard', negativesPerPair: 1 }), /negativesPerPair/);
  assert.throws(() => mine(emb, 2, labels, { shard: { index: 2, count: 2 } }), /shard.index/);
});

/** n × dim values in [−0.5, 0.5) from a seeded LCG. */
function lcgRows(n: number, dim: number, seed: number): Float32Array {
  let s = seed;
  return new Float32Array(n * dim).map(() => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 4294967296 - 0.5;
  });
}

test('tile sizes and worker counts give byte-identical output', async () => {
  const n = 97;
  const dim = 6;
  const emb = lcgRows(n, dim, 7);
  const labels = Int32Array.from({ length: n }, (_, i) => (i * 7) % 5);
  const cases = [
    { strategy: 'semi-hard' as const },
    { strategy: 'batch-hard' as const, distance: 'cosine' as const },
    { strategy: 'all' as const, maxPerAnchor: 5, seed: 3 },
    { strategy: 'semi-hard' as const, negativesPerPair: 2, pick: 'random' as const, seed: 9 },
  ];
  const refs = cases.map((options) => mine(emb, dim, labels, { ...options, tileSize: 256 }));
  cases.forEach((options, c) => {
    for (const tileSize of [1, 5, 13, 64]) {
      assert.deepEqual(mine(emb, dim, labels, { ...options, tileSize }), refs[c], `tileSize ${tileSize}`);
    }
  });
  // A worker pool takes ~1 s to start from TypeScript source, so only a few combinations here.
  for (const [c, workers, tileSize] of [
    [0, 2, 7],
    [2, 3, 11],
    [3, 2, 32],
  ]) {
    const got = await mineAsync(emb, dim, labels, { ...cases[c], tileSize, workers });
    assert.deepEqual(got, refs[c], `case ${c} workers ${workers} tileSize ${tileSize}`);
  }
});

test('with worker threads, output-heavy blocks arrive as their records and expand in small chunks to the same triplets', async () => {
  const n = 120;
  const dim = 4;
  const emb = lcgRows(n, dim, 11);
  const labels = Int32Array.from({ length: n }, (_, i) => i % 3);
  for (const options of [{ strategy: 'all' as const, margin: 4 }, { strategy: 'semi-hard' as const }]) {
    const ref = mine(emb, dim, labels, options);
    const parts: MinedTriplets[] = [];
    let recordBlocks = 0;
    for await (const block of minePending(emb, dim, labels, { ...options, tileSize: 16, workers: 2 })) {
      // The writer's way: a chunk just large enough for one expansion step, reused.
      if (!(block instanceof MaterializedBlock)) {
        recordBlocks++;
        assert.ok(block.retainedBytes < 20 * block.total, 'records are smaller than the triplets they stand for');
      }
      while (block.remaining > 0) {
        const chunk = allocTriplets(block.step);
        const w = block.expand(chunk, 0, block.step);
        assert.ok(w > 0, 'every expansion step makes progress');
        parts.push(sliceTriplets(chunk, w));
      }
    }
    assert.ok(recordBlocks > 0, `${options.strategy}: no block travelled as records`);
    assert.deepEqual(concatTriplets(parts), ref, options.strategy);
  }
});

const sliceTriplets = (t: MinedTriplets, n: number): MinedTriplets => ({
  anchors: t.anchors.slice(0, n),
  positives: t.positives.slice(0, n),
  negatives: t.negatives.slice(0, n),
  dAp: t.dAp.slice(0, n),
  dAn: t.dAn.slice(0, n),
});

test('lastAtMost: x ≤ T ⟺ fround(x − v) ≤ t, exactly, over the float32 range', () => {
  const f = Math.fround;
  const float32 = fc.float({ noNaN: true, noDefaultInfinity: true }).map(f);
  fc.assert(
    fc.property(float32, float32, fc.array(float32, { maxLength: 20 }), (v, t, xs) => {
      const T = lastAtMost(v, t);
      assert.ok(f(T - v) <= t, 'T itself must satisfy the predicate');
      const next = new Float32Array([T]);
      const bits = new Uint32Array(next.buffer);
      if (T < Number.POSITIVE_INFINITY) {
        bits[0] += T >= 0 || Object.is(T, 0) ? 1 : -1; // the next float32 above T
        if (Object.is(T, -0)) next[0] = 1.401298464324817e-45;
        assert.ok(!(f(next[0] - v) <= t), 'the next float above T must fail the predicate');
      }
      for (const x of xs) assert.equal(x <= T, f(x - v) <= t);
    }),
    { numRuns: 2000 },
  );
  assert.equal(lastAtMost(1, Number.POSITIVE_INFINITY), Number.POSITIVE_INFINITY);
});

test('a class of identical rows (all positives at one distance) matches the oracle for every window', () => {
  const dim = 3;
  const n = 40;
  const emb = new Float32Array(n * dim);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = i < 20 ? 0 : 1 + (i % 3);
    for (let k = 0; k < dim; k++) emb[i * dim + k] = i < 20 ? [1, 2, 2][k] : Math.sin(i * 3.1 + k);
  }
  for (const strategy of ['all', 'hard', 'semi-hard', 'easy'] as const) {
    for (const margin of [0, 0.2, 3]) {
      for (const distance of KINDS) {
        const o = { strategy, margin, distance, normalize: true };
        assert.deepEqual(tuples(mine(emb, dim, labels, { ...o, tileSize: 7 })), oracleMine(emb, dim, labels, o));
      }
    }
  }
});
