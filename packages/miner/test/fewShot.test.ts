import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '@tripletkit/common';
import {
  fewShotAccuracy,
  fewShotEpisodes,
  meanConfidence,
  verification,
  verificationMetrics,
  verificationPairs,
} from '../src/index.ts';

function clusters(classes: number, perClass: number, dim: number, spread: number, seed: number) {
  const rng = new Rng(seed);
  const centres = Array.from({ length: classes }, () => Array.from({ length: dim }, () => rng.next() * 4));
  const x = new Float32Array(classes * perClass * dim);
  const labels = new Int32Array(classes * perClass);
  for (let i = 0; i < labels.length; i++) {
    labels[i] = i % classes;
    for (let d = 0; d < dim; d++) x[i * dim + d] = centres[labels[i]][d] + (rng.next() - 0.5) * spread;
  }
  return { x, labels };
}

test('few-shot episodes are reproducible per seed, well formed, and episode e does not depend on how many are drawn', () => {
  const { labels } = clusters(8, 30, 2, 1, 1);
  const o = { ways: 5, shots: 3, queries: 4, episodes: 20, seed: 7 };
  const a = [...fewShotEpisodes(labels, o)];
  const b = [...fewShotEpisodes(labels, o)];
  assert.deepEqual(a, b);
  const c = [...fewShotEpisodes(labels, { ...o, seed: 8 })];
  assert.notDeepEqual(a, c);
  assert.deepEqual([...fewShotEpisodes(labels, { ...o, episodes: 5 })], a.slice(0, 5));
  for (const ep of a) {
    assert.equal(new Set(ep.classes).size, 5);
    const all = [...ep.support, ...ep.query];
    assert.equal(new Set(all).size, all.length, 'no row is both support and query');
    ep.support.forEach((r, i) => {
      assert.equal(labels[r], ep.classes[Math.floor(i / 3)]);
    });
    ep.query.forEach((r, i) => {
      assert.equal(labels[r], ep.classes[Math.floor(i / 4)]);
    });
  }
  assert.throws(() => [...fewShotEpisodes(labels, { ways: 9 })], /needs 9 classes/);
});

test('CI formula equals a direct computation; accuracies equal a brute-force classifier', () => {
  const dim = 3;
  const { x, labels } = clusters(6, 12, dim, 6, 2); // overlapping clusters: accuracies well below 1
  const o = { ways: 4, shots: 2, queries: 3, episodes: 50, seed: 3 };
  const r = fewShotAccuracy(x, dim, labels, o);
  const dist = (i: number, p: number[]) => p.reduce((s, v, d) => s + (x[i * dim + d] - v) ** 2, 0);
  const row = (i: number) => Array.from(x.subarray(i * dim, (i + 1) * dim));
  const support: number[] = [];
  const proto: number[] = [];
  for (const ep of fewShotEpisodes(labels, o)) {
    let s = 0;
    let p = 0;
    const protos = [...ep.classes].map((_, c) =>
      row(0).map((_, d) => (x[ep.support[2 * c] * dim + d] + x[ep.support[2 * c + 1] * dim + d]) / 2),
    );
    ep.query.forEach((q, i) => {
      const truth = Math.floor(i / 3);
      const ds = [...ep.support].map((sr) => dist(q, row(sr)));
      if (Math.floor(ds.indexOf(Math.min(...ds)) / 2) === truth) s++;
      const dp = protos.map((pr) => dist(q, pr));
      if (dp.indexOf(Math.min(...dp)) === truth) p++;
    });
    support.push(s / ep.query.length);
    proto.push(p / ep.query.length);
  }
  assert.deepEqual(r.perEpisode.nearestSupport, support);
  assert.deepEqual(r.perEpisode.nearestPrototype, proto);
  for (const [got, samples] of [
    [r.nearestSupport, support],
    [r.nearestPrototype, proto],
  ] as const) {
    const n = samples.length;
    const mean = samples.reduce((a, b) => a + b, 0) / n;
    const sd = Math.sqrt(samples.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
    assert.ok(Math.abs(got.mean - mean) < 1e-12);
    assert.ok(Math.abs(got.ci95 - (1.96 * sd) / Math.sqrt(n)) < 1e-12);
    assert.equal(got.n, 50);
  }
  assert.ok(r.nearestSupport.mean > 0.3 && r.nearestSupport.mean < 1, `${r.nearestSupport.mean}`);
  const m = meanConfidence([0.8, 0.9, 1]);
  assert.ok(Math.abs(m.mean - 0.9) < 1e-12 && Math.abs(m.ci95 - (1.96 * 0.1) / Math.sqrt(3)) < 1e-12);
});

/** Brute force: every distinct distance (and −∞) as a threshold; FAR/TAR counted from scratch each time. */
function bruteVerification(d: number[], same: boolean[], farTarget: number) {
  const P = same.filter(Boolean).length;
  const N = same.length - P;
  let auc = 0;
  for (let i = 0; i < d.length; i++) {
    if (!same[i]) continue;
    for (let j = 0; j < d.length; j++) {
      if (same[j]) continue;
      auc += d[i] < d[j] ? 1 : d[i] === d[j] ? 0.5 : 0;
    }
  }
  const thresholds = [Number.NEGATIVE_INFINITY, ...[...new Set(d)].sort((a, b) => a - b)];
  let eer = { gap: Number.POSITIVE_INFINITY, eer: 0, t: 0 };
  let tar = { tar: 0, far: 0, t: Number.NEGATIVE_INFINITY };
  for (const t of thresholds) {
    const tp = d.filter((v, i) => same[i] && v <= t).length / P;
    const fp = d.filter((v, i) => !same[i] && v <= t).length / N;
    const gap = Math.abs(fp - (1 - tp));
    if (gap < eer.gap) eer = { gap, eer: (fp + 1 - tp) / 2, t };
    if (fp <= farTarget && (tp > tar.tar || (tp === tar.tar && t > tar.t))) tar = { tar: tp, far: fp, t };
  }
  return { auc: auc / (P * N), eer: eer.eer, eerT: eer.t, tar };
}

test('verification metrics equal a brute-force computation, ties included', () => {
  for (const seed of [1, 2, 3, 4]) {
    const rng = new Rng(seed);
    const n = 400;
    const same = Array.from({ length: n }, () => rng.next() < 0.4);
    // Quantised distances so that ties occur, positives somewhat closer.
    const d = same.map((s) => Math.round((rng.next() + (s ? 0 : 0.4)) * 40) / 40);
    for (const farTarget of [1e-3, 0.05, 0.3]) {
      const got = verificationMetrics(d, same, farTarget);
      const want = bruteVerification(d, same, farTarget);
      assert.ok(Math.abs(got.rocAuc - want.auc) < 1e-12, `AUC ${got.rocAuc} vs ${want.auc}`);
      assert.ok(Math.abs(got.eer - want.eer) < 1e-12, `EER ${got.eer} vs ${want.eer}`);
      assert.equal(got.eerThreshold, want.eerT);
      assert.equal(got.tarAtFar.tar, want.tar.tar);
      assert.equal(got.tarAtFar.far, want.tar.far);
      assert.equal(got.tarAtFar.threshold, want.tar.t);
    }
  }
  const perfect = verificationMetrics([0.1, 0.2, 0.9, 1.0], [true, true, false, false]);
  assert.deepEqual([perfect.rocAuc, perfect.eer, perfect.tarAtFar.tar, perfect.tarAtFar.threshold], [1, 0, 1, 0.2]);
});

test('verification pairs are seeded, valid, and separable clusters verify perfectly', () => {
  const { x, labels } = clusters(5, 20, 4, 0.1, 5);
  const p = verificationPairs(labels, 300, 9);
  assert.deepEqual(p, verificationPairs(labels, 300, 9));
  for (let i = 0; i < p.a.length; i++) {
    assert.notEqual(p.a[i], p.b[i]);
    assert.equal(labels[p.a[i]] === labels[p.b[i]], p.same[i]);
  }
  const v = verification(x, 4, labels, { pairs: 300, seed: 9 });
  assert.equal(v.rocAuc, 1);
  assert.equal(v.positives, 300);
  assert.equal(v.negatives, 300);
});
