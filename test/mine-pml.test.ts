/**
 * The miner against PyTorch Metric Learning itself (TripletMarginMiner, BatchHardMiner) on the same float32 inputs:
 * the promise of docs/formats.md ("Mining semantics") "without caps, the output set equals PML's (up to floating-point ties at a boundary)".
 * Distances are computed differently (our GEMM-style kernel vs torch.cdist), so a triplet may only differ when its
 * margin test sits within rounding of a boundary; every difference is checked to be such a case.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../packages/common/src/index.ts';
import { type DistanceKind, distanceTile, l2Normalize, mine } from '../packages/miner/src/index.ts';
import { pmlPeer, runPml } from './helpers/pml.ts';

type Strategy = 'all' | 'hard' | 'semi-hard' | 'easy' | 'batch-hard';

interface Case {
  strategy: Strategy;
  distance: DistanceKind;
  normalize: boolean;
  margin: number;
  dim: number;
  x: number[];
  labels: number[];
  ref: number[] | null;
  refLabels: number[] | null;
}

const HARNESS = `
from pytorch_metric_learning.miners import TripletMarginMiner, BatchHardMiner
from pytorch_metric_learning.distances import CosineSimilarity, DotProductSimilarity, LpDistance
out = []
for c in json.load(open(data_path)):
    x = torch.tensor(c['x'], dtype=torch.float32).reshape(-1, c['dim'])
    y = torch.tensor(c['labels'])
    r = None if c['ref'] is None else torch.tensor(c['ref'], dtype=torch.float32).reshape(-1, c['dim'])
    ry = None if c['refLabels'] is None else torch.tensor(c['refLabels'])
    n = c['normalize']
    # CosineSimilarity always normalises; without normalisation it is PML's DotProductSimilarity.
    if c['distance'] == 'cosine': d = CosineSimilarity() if n else DotProductSimilarity(normalize_embeddings=False)
    elif c['distance'] == 'squared-euclidean': d = LpDistance(normalize_embeddings=n, power=2)
    else: d = LpDistance(normalize_embeddings=n)
    if c['strategy'] == 'batch-hard': m = BatchHardMiner(distance=d)
    else: m = TripletMarginMiner(margin=c['margin'], type_of_triplets=c['strategy'].replace('-', ''), distance=d)
    a, p, neg = m(x, y, r, ry)
    out.append([a.tolist(), p.tolist(), neg.tolist()])
print(json.dumps(out))
`;

function randomRows(rng: Rng, n: number, dim: number, classes: number) {
  const gauss = () => Math.sqrt(-2 * Math.log(Math.max(rng.next(), 1e-12))) * Math.cos(2 * Math.PI * rng.next());
  const centres = Array.from({ length: classes }, () => Array.from({ length: dim }, gauss));
  const labels = Array.from({ length: n }, () => rng.int(classes));
  // Overlapping classes, so every strategy finds triplets on both sides of the margin.
  const x = labels.flatMap((l) => centres[l].map((c) => Math.fround(0.5 * c + gauss())));
  return { x, labels };
}

/** Our distance (similarity) between row i of `a` and row j of `b`, as the miner computes it. */
function distanceOf(c: Case, a: Float32Array, i: number, b: Float32Array, j: number): number {
  const out = new Float32Array(1);
  distanceTile(
    a.subarray(i * c.dim, (i + 1) * c.dim),
    1,
    b.subarray(j * c.dim, (j + 1) * c.dim),
    1,
    c.dim,
    c.distance,
    out,
  );
  return out[0];
}

test('mining equals PyTorch Metric Learning for every strategy × distance × normalisation, and with a reference set', async (t) => {
  const peer = pmlPeer();
  if (typeof peer === 'string') {
    t.skip(`PML peer unavailable: ${peer}`);
    return;
  }
  const rng = new Rng(77);
  const cases: Case[] = [];
  for (const strategy of ['all', 'hard', 'semi-hard', 'easy', 'batch-hard'] as Strategy[]) {
    for (const distance of ['euclidean', 'squared-euclidean', 'cosine'] as DistanceKind[]) {
      for (const normalize of [true, false]) {
        const { x, labels } = randomRows(rng, 48, 6, 4);
        const margin = normalize ? 0.2 : 1;
        cases.push({ strategy, distance, normalize, margin, dim: 6, x, labels, ref: null, refLabels: null });
      }
    }
    const q = randomRows(rng, 20, 5, 3);
    const r = randomRows(rng, 30, 5, 3);
    cases.push({
      strategy,
      distance: 'euclidean',
      normalize: true,
      margin: 0.2,
      dim: 5,
      ...q,
      ref: r.x,
      refLabels: r.labels,
    });
  }
  const pml = await runPml<[number[], number[], number[]][]>(peer.wheel, HARNESS, cases);
  let compared = 0;
  cases.forEach((c, i) => {
    const what = `${c.strategy} ${c.distance} normalize=${c.normalize}${c.ref ? ' with reference' : ''}`;
    const x = Float32Array.from(c.x);
    const ref = c.ref ? Float32Array.from(c.ref) : undefined;
    const ours = mine(x, c.dim, Int32Array.from(c.labels), {
      strategy: c.strategy,
      distance: c.distance,
      normalize: c.normalize,
      margin: c.margin,
      ...(ref ? { reference: { embeddings: ref, labels: Int32Array.from(c.refLabels!) } } : {}),
    });
    const key = (a: number, p: number, n: number) => `${a},${p},${n}`;
    const oursSet = new Set(Array.from(ours.anchors, (a, k) => key(a, ours.positives[k], ours.negatives[k])));
    const [pa, pp, pn] = pml[i];
    const theirs = new Set(pa.map((a, k) => key(a, pp[k], pn[k])));
    assert.ok(theirs.size > 0, `${what}: PML found triplets (the case is not vacuous)`);
    // Anything in one set only must sit at a boundary within float rounding (different distance arithmetic).
    const xs = c.normalize ? l2Normalize(x, c.dim) : x;
    const rs = ref ? (c.normalize ? l2Normalize(ref, c.dim) : ref) : xs;
    const sign = c.distance === 'cosine' ? -1 : 1;
    for (const k of [...oursSet].filter((s) => !theirs.has(s)).concat([...theirs].filter((s) => !oursSet.has(s)))) {
      assert.notEqual(c.strategy, 'batch-hard', `${what}: batch-hard differs at ${k} (no ties in continuous data)`);
      const [a, p, n] = k.split(',').map(Number);
      const gap = sign * (distanceOf(c, xs, a, rs, n) - distanceOf(c, xs, a, rs, p));
      const nearBoundary = Math.abs(gap - c.margin) < 1e-5 || Math.abs(gap) < 1e-5;
      assert.ok(nearBoundary, `${what}: triplet ${k} differs from PML with margin gap ${gap}`);
    }
    if (c.strategy === 'batch-hard') {
      assert.deepEqual([...oursSet].sort(), [...theirs].sort(), `${what}: same batch-hard triplets`);
    }
    compared += theirs.size;
  });
  assert.ok(compared > 10000, `compared ${compared} PML triplets`);
});
