/**
 * Cross-check of the retrieval metrics against PyTorch Metric Learning's own AccuracyCalculator, run through
 * /usr/bin/python3 (see helpers/pml.ts). Skipped with a message when the peer is absent. Data are continuous random floats, so no two distances tie and neighbour order is defined.
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../packages/common/src/index.ts';
import { type DistanceKind, retrievalMetrics } from '../packages/miner/src/index.ts';
import { pmlPeer, runPml } from './helpers/pml.ts';

const HARNESS = `
from pytorch_metric_learning.utils.accuracy_calculator import AccuracyCalculator
from pytorch_metric_learning.utils.inference import CustomKNN
from pytorch_metric_learning.distances import CosineSimilarity, LpDistance
out = []
for case in json.load(open(data_path)):
    dim = case['dim']
    q = torch.tensor(case['query'], dtype=torch.float64).reshape(-1, dim)
    ql = torch.tensor(case['queryLabels'])
    same = case['reference'] is None
    r = q if same else torch.tensor(case['reference'], dtype=torch.float64).reshape(-1, dim)
    rl = ql if same else torch.tensor(case['referenceLabels'])
    dist = CosineSimilarity() if case['distance'] == 'cosine' else LpDistance(normalize_embeddings=False)
    res = {}
    for avg in (False, True):
        ac = AccuracyCalculator(include=('precision_at_1', 'r_precision', 'mean_average_precision_at_r'),
                                avg_of_avgs=avg, knn_func=CustomKNN(dist))
        res[str(avg)] = ac.get_accuracy(q, ql, r, rl, ref_includes_query=same)
    out.append(res)
print(json.dumps(out))
`;

interface Case {
  dim: number;
  distance: DistanceKind;
  query: number[];
  queryLabels: number[];
  reference: number[] | null;
  referenceLabels: number[] | null;
}

function randomCase(
  rng: Rng,
  o: { n: number; m?: number; dim: number; classes: number; distance: DistanceKind },
): Case {
  const gauss = () => {
    const u = Math.max(rng.next(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
  };
  // Class centres plus noise, so the metrics land mid-range rather than at 0 or 1.
  const centres = Array.from({ length: o.classes + 1 }, () => Array.from({ length: o.dim }, gauss));
  const rows = (n: number, classes: number) => {
    const labels = Array.from({ length: n }, () => rng.int(classes));
    const x = labels.flatMap((l) => centres[l].map((c) => Math.fround(c + 1.5 * gauss())));
    return { x, labels };
  };
  const q = rows(o.n, o.classes);
  if (o.m === undefined) {
    // A singleton class: excluded when the queries are the references.
    q.labels[0] = o.classes;
    return {
      dim: o.dim,
      distance: o.distance,
      query: q.x,
      queryLabels: q.labels,
      reference: null,
      referenceLabels: null,
    };
  }
  const r = rows(o.m, o.classes - 1); // the last query class has no reference: excluded
  return {
    dim: o.dim,
    distance: o.distance,
    query: q.x,
    queryLabels: q.labels,
    reference: r.x,
    referenceLabels: r.labels,
  };
}

test('P@1, R-precision and MAP@R equal PyTorch Metric Learning AccuracyCalculator (overall and avg_of_avgs)', async (t) => {
  const p = pmlPeer();
  if (typeof p === 'string') {
    t.skip(`PML peer unavailable: ${p}`);
    return;
  }
  const rng = new Rng(2024);
  const cases: Case[] = [];
  for (const distance of ['euclidean', 'cosine'] as DistanceKind[]) {
    cases.push(randomCase(rng, { n: 300, dim: 8, classes: 7, distance }));
    cases.push(randomCase(rng, { n: 150, m: 400, dim: 5, classes: 6, distance }));
  }
  const pml = await runPml<Record<'True' | 'False', Record<string, number>>[]>(p.wheel, HARNESS, cases);
  cases.forEach((c, i) => {
    const m = retrievalMetrics(Float32Array.from(c.query), c.dim, c.queryLabels, {
      distance: c.distance,
      ...(c.reference ? { reference: Float32Array.from(c.reference), referenceLabels: c.referenceLabels! } : {}),
    });
    const what = `case ${i} (${c.distance}, ${c.reference ? 'separate reference' : 'queries = references'})`;
    assert.ok(m.excludedQueries > 0, `${what} exercises exclusion`);
    const near = (a: number, b: number, name: string) =>
      assert.ok(Math.abs(a - b) < 1e-9, `${what} ${name}: ours ${a}, PML ${b}`);
    near(m.precisionAt1, pml[i].False.precision_at_1, 'P@1');
    near(m.rPrecision, pml[i].False.r_precision, 'R-precision');
    near(m.mapAtR, pml[i].False.mean_average_precision_at_r, 'MAP@R');
    near(m.classAverage.precisionAt1, pml[i].True.precision_at_1, 'avg_of_avgs P@1');
    near(m.classAverage.rPrecision, pml[i].True.r_precision, 'avg_of_avgs R-precision');
    near(m.classAverage.mapAtR, pml[i].True.mean_average_precision_at_r, 'avg_of_avgs MAP@R');
  });
});
