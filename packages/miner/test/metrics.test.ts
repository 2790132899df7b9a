import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '@tripletkit/common';
import { type DistanceKind, distanceTile, l2Normalize, nearestNeighbors, retrievalMetrics } from '../src/index.ts';
import { neighborBlocks } from '../src/metrics/neighborBlocks.ts';

const close = (actual: number | null, expected: number, what: string) =>
  assert.ok(actual !== null && Math.abs(actual - expected) < 1e-12, `${what}: expected ${expected}, got ${actual}`);

test('hand-computed case, queries are the reference set: ties go to the smaller index, MAP@R ≠ R-precision', () => {
  // 1-D points x = [0, 1, 2, 5, 20], labels [0, 1, 0, 0, 1]: class 0 has R = 2, class 1 has R = 1.
  // q0 (x=0): neighbours 1(d1,l1) 2(d2,l0) → top-2 [miss, hit]: P@1 0, RP 1/2, AP (0 + 1/2)/2 = 1/4
  // q1 (x=1): 0(d1) and 2(d1) tie → index 0 first (label 0): miss → 0, 0, 0
  // q2 (x=2): 1(d1,l1) 0(d2,l0) → [miss, hit]: 0, 1/2, 1/4
  // q3 (x=5): 2(d3,l0) 1(d4,l1) → [hit, miss]: 1, 1/2, (1/1)/2 = 1/2
  // q4 (x=20): 3(d15,l0) → miss: 0, 0, 0
  const x = new Float32Array([0, 1, 2, 5, 20]);
  const m = retrievalMetrics(x, 1, [0, 1, 0, 0, 1]);
  close(m.precisionAt1, 1 / 5, 'P@1');
  close(m.rPrecision, (0.5 + 0 + 0.5 + 0.5 + 0) / 5, 'R-precision');
  close(m.mapAtR, (0.25 + 0 + 0.25 + 0.5 + 0) / 5, 'MAP@R');
  assert.equal(m.queries, 5);
  assert.equal(m.excludedQueries, 0);
  assert.equal(m.k, 2);
  assert.equal(m.sameSource, true);
  const [c0, c1] = m.perClass;
  assert.deepEqual([c0.label, c0.queries, c0.r, c1.label, c1.queries, c1.r], [0, 3, 2, 1, 2, 1]);
  close(c0.precisionAt1, 1 / 3, 'class 0 P@1');
  close(c0.rPrecision, 0.5, 'class 0 RP');
  close(c0.mapAtR, (0.25 + 0.25 + 0.5) / 3, 'class 0 MAP@R');
  close(c1.precisionAt1, 0, 'class 1 P@1');
  close(m.classAverage.precisionAt1, (1 / 3 + 0) / 2, 'avg of avgs P@1');
  close(m.classAverage.mapAtR, (1 / 3 + 0) / 2, 'avg of avgs MAP@R');
});

test('hand-computed case: a second class shape, every score by hand', () => {
  // x = [0, 1, 3, 4, 10], labels [0, 0, 1, 1, 0]
  // q0: 1(l0) 2(l1) → [hit, miss]: 1, 1/2, 1/2      q1: 0(l0) 2(l1) → 1, 1/2, 1/2
  // q2: 3(d1,l1) → 1, 1, 1                            q3: 2(d1,l1) → 1, 1, 1
  // q4 (x=10): 3(d6,l1) 2(d7,l1) → 0, 0, 0
  const m = retrievalMetrics(new Float32Array([0, 1, 3, 4, 10]), 1, new Int32Array([0, 0, 1, 1, 0]));
  close(m.precisionAt1, 4 / 5, 'P@1');
  close(m.rPrecision, 3 / 5, 'R-precision');
  close(m.mapAtR, 3 / 5, 'MAP@R');
  close(m.perClass[0].rPrecision, 1 / 3, 'class 0 RP');
  close(m.perClass[1].mapAtR, 1, 'class 1 MAP@R');
});

test('separate reference set: self is not excluded, queries without a same-label reference are excluded and counted', () => {
  // queries x = [1, 10] labels [0, 2]; references x = [1, 2, 11] labels [0, 1, 0].
  // q0: R = 2; neighbours ref0 (d0, its duplicate, l0), ref1 (d1, l1) → [hit, miss]: 1, 1/2, 1/2
  // q1: label 2 has no reference → excluded.
  const m = retrievalMetrics(new Float32Array([1, 10]), 1, [0, 2], {
    reference: new Float32Array([1, 2, 11]),
    referenceLabels: [0, 1, 0],
  });
  assert.equal(m.sameSource, false);
  assert.equal(m.queries, 1);
  assert.equal(m.excludedQueries, 1);
  close(m.precisionAt1, 1, 'P@1');
  close(m.rPrecision, 0.5, 'RP');
  close(m.mapAtR, 0.5, 'MAP@R');
  assert.deepEqual(
    m.perClass.map((c) => [c.label, c.queries, c.excluded, c.precisionAt1]),
    [
      [0, 1, 0, 1],
      [2, 0, 1, null],
    ],
  );
});

test('a singleton class is excluded when the queries are the reference set', () => {
  const m = retrievalMetrics(new Float32Array([0, 1, 50]), 1, [3, 3, 7]);
  assert.equal(m.queries, 2);
  assert.equal(m.excludedQueries, 1);
  close(m.precisionAt1, 1, 'P@1');
});

test('cosine is a similarity on normalised rows: the largest is the nearest', () => {
  // v0=[1,0] v1=[.8,.6] v2=[0,1] v3=[-5,0] (normalised: [-1,0]); labels [0,0,1,1]
  // cos: s01=.8 s02=0 s03=-1 s12=.6 s13=-.8 s23=0
  // q0 → v1 (hit); q1 → v0 (hit); q2 → v1 (.6, miss); q3 → v2 (0, hit)
  const x = new Float32Array([1, 0, 0.8, 0.6, 0, 1, -5, 0]);
  const m = retrievalMetrics(x, 2, [0, 0, 1, 1], { distance: 'cosine' });
  close(m.precisionAt1, 3 / 4, 'P@1');
  assert.equal(m.normalized, true);
  const nn = nearestNeighbors(x, 2, 3, { distance: 'cosine' });
  assert.deepEqual([...nn.indices.subarray(6, 9)], [1, 0, 3]); // q2: .6, then 0 vs 0 → smaller index first
  assert.ok(Math.abs(nn.values[6] - 0.6) < 1e-6);
});

test('bad input: one clear error', () => {
  assert.throws(
    () => retrievalMetrics(new Float32Array([0, Number.NaN]), 1, [0, 0]),
    /Row 1 of query has a non-finite/,
  );
  assert.throws(() => retrievalMetrics(new Float32Array([0, 1]), 1, [0]), /one label per embedding row/);
  assert.throws(() => retrievalMetrics(new Float32Array([0, 1]), 1, [0, 1]), /No query can be evaluated/);
  assert.throws(
    () => retrievalMetrics(new Float32Array([0, 1]), 1, [0, 0], { reference: new Float32Array([1]) }),
    /without referenceLabels/,
  );
  assert.throws(
    () => retrievalMetrics(new Float32Array([0, 1]), 1, [0, 0], { distance: 'manhattan' as DistanceKind }),
    /Expected one of euclidean, squared-euclidean, cosine for distance/,
  );
});

// ---- brute force: full matrix, full sort ----

interface Oracle {
  p1: number;
  rp: number;
  map: number;
  queries: number;
  excluded: number;
  neighbors: number[][];
}

function bruteForce(
  q: Float32Array,
  ql: number[],
  r: Float32Array | undefined,
  rl: number[] | undefined,
  dim: number,
  kind: DistanceKind,
): Oracle {
  const same = r === undefined;
  let qq = q;
  let rr = r ?? q;
  if (kind === 'cosine') {
    qq = l2Normalize(q, dim);
    rr = same ? qq : l2Normalize(rr, dim);
  }
  const labels = rl ?? ql;
  const nq = ql.length;
  const nr = labels.length;
  // One tile = the full matrix (the distance core is bitwise the same whatever the tile shape).
  const full = new Float32Array(nq * nr);
  distanceTile(qq, nq, rr, nr, dim, kind, full);
  const o: Oracle = { p1: 0, rp: 0, map: 0, queries: 0, excluded: 0, neighbors: [] };
  for (let i = 0; i < nq; i++) {
    const order: number[] = [];
    for (let j = 0; j < nr; j++) if (!(same && j === i)) order.push(j);
    const sign = kind === 'cosine' ? -1 : 1;
    order.sort((a, b) => sign * (full[i * nr + a] - full[i * nr + b]) || a - b);
    o.neighbors.push(order);
    const R = order.filter((j) => labels[j] === ql[i]).length;
    if (R === 0) {
      o.excluded++;
      continue;
    }
    o.queries++;
    o.p1 += labels[order[0]] === ql[i] ? 1 : 0;
    let hits = 0;
    let ap = 0;
    for (let j = 0; j < R; j++) {
      if (labels[order[j]] === ql[i]) {
        hits++;
        ap += hits / (j + 1);
      }
    }
    o.rp += hits / R;
    o.map += ap / R;
  }
  o.p1 /= o.queries;
  o.rp /= o.queries;
  o.map /= o.queries;
  return o;
}

function randomCase(rng: Rng, n: number, dim: number, classes: number, levels: number) {
  // Few integer levels → many exact distance ties, the case where order matters most.
  const x = new Float32Array(n * dim);
  for (let i = 0; i < x.length; i++) x[i] = rng.int(levels) - 1;
  const labels = Array.from({ length: n }, () => rng.int(classes));
  return { x, labels };
}

for (const kind of ['euclidean', 'squared-euclidean', 'cosine'] as DistanceKind[]) {
  test(`brute force agrees (${kind}): queries as reference and a separate reference, ties included, any block size`, () => {
    const rng = new Rng(kind.length * 7919);
    for (let trial = 0; trial < 12; trial++) {
      const dim = 1 + rng.int(4);
      const levels = trial % 2 === 0 ? 3 : 50;
      const { x: q, labels: ql } = randomCase(rng, 5 + rng.int(60), dim, 2 + rng.int(6), levels);
      const separate = trial % 3 === 2;
      const ref = separate ? randomCase(rng, 3 + rng.int(70), dim, 2 + rng.int(6), levels) : undefined;
      const o = bruteForce(q, ql, ref?.x, ref?.labels, dim, kind);
      if (o.queries === 0) continue;
      const opts = {
        distance: kind,
        queryBlock: 1 + rng.int(9),
        referenceBlock: 1 + rng.int(13),
        ...(ref ? { reference: ref.x, referenceLabels: ref.labels } : {}),
      };
      const m = retrievalMetrics(q, dim, ql, opts);
      const what = `${kind} trial ${trial}`;
      close(m.precisionAt1, o.p1, `${what} P@1`);
      assert.ok(Math.abs(m.rPrecision - o.rp) < 1e-12, `${what} RP ${m.rPrecision} vs ${o.rp}`);
      assert.ok(Math.abs(m.mapAtR - o.map) < 1e-12, `${what} MAP@R ${m.mapAtR} vs ${o.map}`);
      assert.equal(m.queries, o.queries);
      assert.equal(m.excludedQueries, o.excluded);
      // Neighbour lists themselves, in order (ties by index), for the first 7.
      const nn = nearestNeighbors(q, dim, 7, opts);
      for (let i = 0; i < ql.length; i++) {
        assert.deepEqual([...nn.indices.subarray(i * nn.k, (i + 1) * nn.k)], o.neighbors[i].slice(0, 7), what);
      }
    }
  });
}

test('metrics do not depend on block sizes', () => {
  const rng = new Rng(11);
  const { x, labels } = randomCase(rng, 300, 8, 5, 4);
  const a = retrievalMetrics(x, 8, labels);
  const b = retrievalMetrics(x, 8, labels, { queryBlock: 1, referenceBlock: 1 });
  const c = retrievalMetrics(x, 8, labels, { queryBlock: 300, referenceBlock: 300 });
  assert.deepEqual(a, b);
  assert.deepEqual(a, c);
});

test('the packed float64 sort and the heap sort order neighbours identically (negative keys, zeros, ties)', () => {
  const rng = new Rng(3);
  for (const kind of ['cosine', 'euclidean'] as DistanceKind[]) {
    const { x } = randomCase(rng, 120, 3, 2, 3);
    const q = kind === 'cosine' ? l2Normalize(x, 3) : x;
    const run = (packedSort: boolean) => {
      const out: number[][] = [];
      const search = {
        query: q,
        queryRows: 120,
        reference: q,
        referenceRows: 120,
        dim: 3,
        kind,
        k: 40,
        excludeSelf: true,
        queryBlock: 16,
        referenceBlock: 32,
        packedSort,
      };
      for (const b of neighborBlocks(search)) {
        for (let i = 0; i < b.rows; i++) {
          out.push([...b.indices.subarray(i * b.k, (i + 1) * b.k), ...b.values.subarray(i * b.k, (i + 1) * b.k)]);
        }
      }
      return out;
    };
    assert.deepEqual(run(true), run(false), kind);
  }
});
