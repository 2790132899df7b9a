// The distance and strategy registries: every registered entry is complete and consistent, and every batch rule
// (semi-hard-tfa) equals a brute-force oracle, ties included. The miner-core strategies and every distance are checked
// against the PML oracle in mine.test.ts / mineCaps.test.ts / selectNative.test.ts, which iterate these registries.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  DISTANCE_KINDS,
  DISTANCES,
  distanceTile,
  getDistance,
  getOnlineStrategy,
  getStrategy,
  isSimilarity,
  l2Normalize,
  mine,
  ONLINE_MINING,
  STRATEGIES,
  STRATEGY_DEFS,
} from '../src/index.ts';

function rows(n: number, dim: number, seed: number, ints = false): Float32Array {
  let s = seed || 1;
  return new Float32Array(n * dim).map(() => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return ints ? Math.floor((s / 4294967296) * 5) - 2 : (s / 4294967296) * 2 - 1;
  });
}

describe('distance registry', () => {
  it('lists each distance once, in CLI order, and looks each up by name', () => {
    assert.deepEqual(
      DISTANCE_KINDS,
      DISTANCES.map((d) => d.name),
    );
    assert.equal(new Set(DISTANCE_KINDS).size, DISTANCE_KINDS.length);
    assert.equal(new Set(DISTANCES.map((d) => d.kernel)).size, DISTANCES.length, 'kernel codes differ');
    for (const d of DISTANCES) {
      assert.equal(getDistance(d.name), d);
      assert.equal(isSimilarity(d.name), d.isSimilarity);
    }
    assert.throws(() => getDistance('manhattan' as never), { code: 'E_ARG', message: /distance/ });
  });

  for (const d of DISTANCES) {
    it(`${d.name}: the float64 dissimilarity agrees with the tile kernel, and norms are read only when declared`, () => {
      const dim = 7;
      const n = 9;
      const x = l2Normalize(rows(n, dim, 3 + d.kernel), dim);
      const tile = new Float32Array(n * n);
      distanceTile(x, n, x, n, dim, d.name, tile);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          const want = d.dissimilarity(x, i * dim, x, j * dim, dim);
          const got = d.isSimilarity ? 1 - tile[i * n + j] : tile[i * n + j];
          // 1e-3: the kernel forms ‖a‖² + ‖b‖² − 2a·b in float32, whose cancellation near 0 is magnified by √.
          assert.ok(Math.abs(got - want) < 1e-3, `${d.name} (${i}, ${j}): ${got} vs ${want}`);
        }
      }
      // Wrong norms change the result exactly when the distance needs them.
      const bogus = new Float32Array(n).fill(5);
      const other = new Float32Array(n * n);
      distanceTile(x, n, x, n, dim, d.name, other, bogus, bogus);
      assert.equal(
        other.every((v, k) => v === tile[k]),
        !d.needsNorms,
      );
    });
  }
});

/** TF Addons' semi-hard rule, brute force: sort each anchor's negatives by (distance, row) and take the first one
 * farther than the positive, else the last maximum's first row. */
function tfaOracle(dist: Float32Array, n: number, labels: Int32Array): string[] {
  const out: string[] = [];
  for (let a = 0; a < n; a++) {
    const negs = [...Array(n).keys()].filter((k) => labels[k] !== labels[a]);
    if (negs.length === 0) continue;
    const sorted = negs.sort((u, v) => dist[a * n + u] - dist[a * n + v] || u - v);
    const far = dist[a * n + sorted[sorted.length - 1]];
    const farthest = sorted.find((k) => dist[a * n + k] === far) as number;
    for (let p = 0; p < n; p++) {
      if (p === a || labels[p] !== labels[a]) continue;
      const semi = sorted.find((k) => dist[a * n + k] > dist[a * n + p]);
      out.push(`${a},${p},${semi ?? farthest}`);
    }
  }
  return out;
}

describe('strategy registry', () => {
  it('declares every strategy completely, and lists offline and online names in CLI order', () => {
    assert.equal(new Set(STRATEGY_DEFS.map((s) => s.name)).size, STRATEGY_DEFS.length);
    assert.deepEqual(
      STRATEGIES,
      STRATEGY_DEFS.filter((s) => s.offline).map((s) => s.name),
    );
    for (const s of STRATEGY_DEFS) {
      assert.ok(s.rule.length > 10 && s.pml.length > 0, `${s.name}: rule and PML equivalent`);
      if (s.offline) {
        assert.equal(getStrategy(s.name as never), s);
        assert.ok(s.selector || s.window, `${s.name}: an offline strategy needs a selector or a margin window`);
      } else {
        assert.ok(s.fromMatrix && s.online, `${s.name}: an online-only strategy needs a batch rule`);
      }
      if (s.window) assert.deepEqual(s.options, ['margin', 'maxPerAnchor', 'negativesPerPair', 'pick']);
    }
    const online = STRATEGY_DEFS.filter((s) => s.online);
    assert.equal(new Set(online.map((s) => s.online?.rank)).size, online.length, 'online ranks differ');
    assert.equal(ONLINE_MINING.length, online.length);
    for (const name of ONLINE_MINING) assert.equal(getOnlineStrategy(name).online?.name, name);
    assert.equal(getOnlineStrategy('batch-all').name, 'all');
    assert.throws(() => getStrategy('semi-hard-tfa' as never), { code: 'E_ARG', message: /strategy/ });
    assert.throws(() => getOnlineStrategy('easy' as never), { code: 'E_ARG', message: /mining/ });
  });

  it('refuses negativesPerPair for a strategy that does not take it', () => {
    for (const s of STRATEGY_DEFS.filter((d) => d.offline && !d.options.includes('negativesPerPair'))) {
      assert.throws(() => mineOne(s.name), { code: 'E_ARG', message: /negativesPerPair/ }, s.name);
    }
  });

  for (const s of STRATEGY_DEFS.filter((d) => d.fromMatrix)) {
    it(`${s.name}: the batch rule equals its brute-force oracle (ties included)`, () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 14 }),
          fc.integer({ min: 1, max: 4 }),
          fc.nat(),
          fc.boolean(),
          (n, classes, seed, ints) => {
            const x = rows(n, 2, seed, ints);
            const labels = Int32Array.from(rows(n, 1, seed + 7), (v) => Math.floor((v + 1) * classes) % classes);
            const dist = new Float32Array(n * n);
            distanceTile(x, n, x, n, 2, 'euclidean', dist);
            const t = s.fromMatrix?.(dist, n, labels);
            assert.ok(t);
            const got = Array.from(t.anchors, (a, i) => `${a},${t.positives[i]},${t.negatives[i]}`);
            assert.deepEqual(got, tfaOracle(dist, n, labels));
          },
        ),
        { numRuns: 300 },
      );
    });
  }
});

function mineOne(strategy: string): unknown {
  return mine(rows(6, 2, 1), 2, Int32Array.of(0, 0, 1, 1, 2, 2), { strategy: strategy as never, negativesPerPair: 1 });
}
