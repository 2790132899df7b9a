import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { concatTriplets, DISTANCE_KINDS, getStrategy, mine, STRATEGIES } from '../src/index.ts';
import { oracleMine, type Triplet, tuples } from './helpers/mineOracle.ts';

function data(n: number, dim: number, classes: number, seed: number) {
  let s = seed || 1;
  const rnd = () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 4294967296;
  };
  const emb = new Float32Array(n * dim).map(() => rnd() * 2 - 1);
  const labels = Int32Array.from({ length: n }, () => Math.floor(rnd() * classes));
  return { emb, dim, labels };
}

const key = (t: Triplet) => `${t[0]},${t[1]},${t[2]}`;
const byAnchor = (ts: Triplet[]) => {
  const m = new Map<number, Triplet[]>();
  for (const t of ts) m.set(t[0], [...(m.get(t[0]) ?? []), t]);
  return m;
};
const sortedCanonical = (ts: Triplet[]) =>
  ts.every(
    (t, i) =>
      i === 0 ||
      ts[i - 1][0] < t[0] ||
      (ts[i - 1][0] === t[0] && (ts[i - 1][1] < t[1] || (ts[i - 1][1] === t[1] && ts[i - 1][2] < t[2]))),
  );

// Every registered margin strategy (the caps apply to those) and every registered distance.
const marginStrategy = fc.constantFrom(...STRATEGIES.filter((s) => getStrategy(s).window));
const kind = fc.constantFrom(...DISTANCE_KINDS);

test('maxPerAnchor: min(K, T) distinct qualifying triplets per anchor, canonical order, independent of tile size', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 2, max: 30 }),
      fc.integer({ min: 1, max: 4 }),
      fc.nat(),
      marginStrategy,
      kind,
      fc.integer({ min: 1, max: 12 }),
      fc.nat(1000),
      fc.integer({ min: 1, max: 9 }),
      (n, classes, dseed, strategy, distance, K, seed, tileSize) => {
        const { emb, dim, labels } = data(n, 3, classes, dseed);
        const o = { strategy, distance, margin: 0.2, normalize: true };
        const full = byAnchor(oracleMine(emb, dim, labels, o));
        const got = tuples(mine(emb, dim, labels, { ...o, maxPerAnchor: K, seed, tileSize }));
        assert.ok(sortedCanonical(got));
        const gotBy = byAnchor(got);
        for (const [a, all] of full) {
          const mine_ = gotBy.get(a) ?? [];
          assert.equal(mine_.length, Math.min(K, all.length));
          const allowed = new Map(all.map((t) => [key(t), t]));
          for (const t of mine_) assert.deepEqual(t, allowed.get(key(t)));
        }
        assert.equal([...gotBy.keys()].filter((a) => !full.has(a)).length, 0);
        assert.deepEqual(
          mine(emb, dim, labels, { ...o, maxPerAnchor: K, seed, tileSize: 64 }),
          mine(emb, dim, labels, { ...o, maxPerAnchor: K, seed, tileSize }),
        );
      },
    ),
    { numRuns: 200 },
  );
});

test('maxPerAnchor samples uniformly (inclusion frequency ≈ K/T over many seeds)', () => {
  const { emb, dim, labels } = data(14, 3, 2, 11);
  // margin 10: every valid triplet qualifies
  const o = { strategy: 'all' as const, margin: 10, distance: 'euclidean' as const, normalize: true };
  const full = oracleMine(emb, dim, labels, o).filter((t) => t[0] === 0);
  const K = 5;
  const counts = new Map<string, number>();
  const runs = 3000;
  for (let seed = 0; seed < runs; seed++) {
    for (const t of tuples(mine(emb, dim, labels, { ...o, maxPerAnchor: K, seed, shard: { index: 0, count: 14 } }))) {
      counts.set(key(t), (counts.get(key(t)) ?? 0) + 1);
    }
  }
  const expected = (runs * K) / full.length;
  assert.equal(counts.size, full.length, 'some triplet is never sampled');
  for (const c of counts.values()) assert.ok(Math.abs(c - expected) < 0.2 * expected, `count ${c} vs ${expected}`);
});

test('negativesPerPair hardest = the K closest qualifying negatives of each pair (ties → lowest row)', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 2, max: 30 }),
      fc.integer({ min: 1, max: 4 }),
      fc.nat(),
      marginStrategy,
      kind,
      fc.integer({ min: 1, max: 4 }),
      fc.integer({ min: 1, max: 9 }),
      (n, classes, dseed, strategy, distance, K, tileSize) => {
        const { emb, dim, labels } = data(n, 2, classes, dseed);
        const o = { strategy, distance, margin: 0.3, normalize: true };
        const sim = distance === 'cosine';
        const pairs = new Map<string, Triplet[]>();
        for (const t of oracleMine(emb, dim, labels, o)) {
          const k = `${t[0]},${t[1]}`;
          pairs.set(k, [...(pairs.get(k) ?? []), t]);
        }
        const want: Triplet[] = [];
        for (const ts of pairs.values()) {
          const best = [...ts].sort((u, v) => (sim ? v[4] - u[4] : u[4] - v[4]) || u[2] - v[2]).slice(0, K);
          want.push(...best.sort((u, v) => u[2] - v[2]));
        }
        const got = tuples(mine(emb, dim, labels, { ...o, negativesPerPair: K, pick: 'hardest', tileSize }));
        assert.deepEqual(got, want);
      },
    ),
    { numRuns: 200 },
  );
});

test('negativesPerPair random (+ maxPerAnchor): subsets of the right size, reproducible per seed', () => {
  fc.assert(
    fc.property(
      fc.nat(),
      fc.integer({ min: 1, max: 3 }),
      fc.integer({ min: 0, max: 6 }),
      fc.nat(99),
      (dseed, K, M, seed) => {
        const { emb, dim, labels } = data(25, 3, 3, dseed);
        const o = { strategy: 'semi-hard' as const, margin: 0.5 };
        const full = oracleMine(emb, dim, labels, { ...o, distance: 'euclidean', normalize: true });
        const perPair = new Map<string, number>();
        for (const t of full) perPair.set(`${t[0]},${t[1]}`, (perPair.get(`${t[0]},${t[1]}`) ?? 0) + 1);
        const opts = { ...o, negativesPerPair: K, pick: 'random' as const, maxPerAnchor: M || undefined, seed };
        const got = tuples(mine(emb, dim, labels, { ...opts, tileSize: 4 }));
        assert.deepEqual(tuples(mine(emb, dim, labels, { ...opts, tileSize: 64 })), got);
        assert.ok(sortedCanonical(got));
        const allowed = new Map(full.map((t) => [key(t), t]));
        for (const t of got) assert.deepEqual(t, allowed.get(key(t)));
        if (M === 0) {
          const gotPairs = new Map<string, number>();
          for (const t of got) gotPairs.set(`${t[0]},${t[1]}`, (gotPairs.get(`${t[0]},${t[1]}`) ?? 0) + 1);
          for (const [p, c] of perPair) assert.equal(gotPairs.get(p), Math.min(K, c));
        } else {
          for (const [a, ts] of byAnchor(got)) {
            const avail = [...perPair]
              .filter(([p]) => p.startsWith(`${a},`))
              .reduce((s, [, c]) => s + Math.min(K, c), 0);
            assert.equal(ts.length, Math.min(M, avail));
          }
        }
      },
    ),
    { numRuns: 100 },
  );
});

test('shards concatenate to the whole run, with and without caps', () => {
  const { emb, dim, labels } = data(53, 4, 4, 5);
  for (const options of [
    { strategy: 'semi-hard' as const },
    { strategy: 'batch-hard' as const },
    { strategy: 'all' as const, maxPerAnchor: 3, seed: 4 },
    { strategy: 'hard' as const, negativesPerPair: 1, pick: 'random' as const, seed: 2 },
  ]) {
    const whole = mine(emb, dim, labels, options);
    for (const count of [1, 2, 3, 7, 53, 60]) {
      const parts = Array.from({ length: count }, (_, index) =>
        mine(emb, dim, labels, { ...options, tileSize: 5, shard: { index, count } }),
      );
      assert.deepEqual(concatTriplets(parts), whole, `${options.strategy} shards ${count}`);
    }
  }
});
