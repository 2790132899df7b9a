/**
 * The batches of one epoch, fully determined by (seed, epoch): offline, a seeded shuffle of the triplet list cut into
 * batches; online, the miner's P×K sampler. Each batch is reduced to its distinct images (embedded once) and
 * triplets/labels indexing them.
 */
import { deriveSeed, Rng } from '@tripletkit/common';
import { pkBatches } from '@tripletkit/miner';
import type { TripletList } from '../data/tripletsFile.ts';
import type { BatchTriplets } from '../mining/batchTriplets.ts';

/** A batch as image rows of the training set plus what the step needs. */
export interface PlannedBatch {
  /** Distinct training-set rows, in first-use order. */
  rows: Int32Array;
  /** Offline: triplets as indices into `rows`. */
  triplets?: BatchTriplets;
  /** Online: the label of each of `rows`. */
  labels?: Int32Array;
}

/** Offline batches of `batchSize` triplets (the last one may be smaller). */
export function offlineEpoch(triplets: TripletList, batchSize: number, seed: number, epoch: number): PlannedBatch[] {
  const n = triplets.anchors.length;
  const order = new Rng(deriveSeed(seed, epoch, 1)).shuffle(Int32Array.from({ length: n }, (_, i) => i));
  const cols = [triplets.anchors, triplets.positives, triplets.negatives];
  const out: PlannedBatch[] = [];
  for (let s = 0; s < n; s += batchSize) {
    const idx = order.subarray(s, Math.min(n, s + batchSize));
    out.push(compactBatch(idx.length, (i, k) => cols[k][idx[i]]));
  }
  return out;
}

/**
 * Online P×K batches. A row drawn twice in one batch (a class with fewer than K images is sampled with replacement)
 * is embedded once: duplicates would only add zero-distance "positives".
 */
export function onlineEpoch(labels: Int32Array, p: number, k: number, seed: number, epoch: number): PlannedBatch[] {
  return pkBatches(labels, { p, k, seed, epoch }).map((b) => {
    const rows = Int32Array.from(new Set(b));
    return { rows, labels: rows.map((r) => labels[r]) };
  });
}

/**
 * Shares an offline batch's triplets out among `parts` workers (contiguous, sizes differ by at most one), each with
 * its own distinct rows. The summed losses of the parts equal the batch's.
 */
export function splitOffline(batch: PlannedBatch, parts: number): PlannedBatch[] {
  const t = batch.triplets;
  if (!t || parts <= 1) return [batch];
  const n = t.anchors.length;
  const cols = [t.anchors, t.positives, t.negatives];
  const out: PlannedBatch[] = [];
  for (let w = 0; w < parts; w++) {
    const from = Math.floor((w * n) / parts);
    const to = Math.floor(((w + 1) * n) / parts);
    if (to === from) continue;
    out.push(compactBatch(to - from, (i, k) => batch.rows[cols[k][from + i]]));
  }
  return out;
}

/**
 * One offline batch of `n` triplets, `rowOf(i, k)` giving the training-set row of triplet i's anchor (k 0), positive
 * (1) or negative (2): its distinct rows in first-use order and the triplets as indices into them.
 */
function compactBatch(n: number, rowOf: (i: number, k: number) => number): PlannedBatch {
  const local = new Map<number, number>();
  const rows: number[] = [];
  const t = [new Int32Array(n), new Int32Array(n), new Int32Array(n)];
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < 3; k++) {
      const r = rowOf(i, k);
      let j = local.get(r);
      if (j === undefined) {
        j = rows.length;
        local.set(r, j);
        rows.push(r);
      }
      t[k][i] = j;
    }
  }
  return { rows: Int32Array.from(rows), triplets: { anchors: t[0], positives: t[1], negatives: t[2] } };
}
