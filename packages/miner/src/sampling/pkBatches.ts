/**
 * P×K batch sampling for online mining (FaceNet, "In Defense of the Triplet Loss"): every batch holds P distinct
 * classes × K images each, so every anchor in a batch has K−1 positives and (P−1)·K negatives to mine from.
 */
import { deriveSeed, expectNonNegativeInteger, expectPositiveInteger, invalidArgument, Rng } from '@tripletkit/common';

/** Options of {@link pkBatches}. */
export interface PkBatchOptions {
  /** Classes per batch (P). */
  p: number;
  /** Images per class per batch (K). */
  k: number;
  /** Base seed; with `epoch` it fully determines the batches. Default 0. */
  seed?: number;
  /** Epoch number: each epoch draws a different, reproducible order. Default 0. */
  epoch?: number;
}

/**
 * Splits one epoch into P×K batches of row indices.
 *
 * - Each batch has `p·k` indices: `p` distinct classes, `k` consecutive indices per class (batch[c·k … c·k+k−1]).
 * - Every image appears at least once per epoch: each class's images are shuffled and cut into groups of `k`; a last
 *   group with fewer than `k` images (or a class smaller than `k`) is filled by sampling that class's images with
 *   replacement (so a 1-image class repeats that image `k` times — it then has no positive other than itself).
 * - Groups are dealt into batches by drawing `p` distinct classes at random, weighted by how many groups each still
 *   has, so large classes are spread across the epoch. When fewer than `p` classes still have groups, the last batch
 *   is completed with extra groups drawn (with replacement) from other classes, so no image is dropped and every
 *   batch stays P×K.
 * - Deterministic per (seed, epoch); labels may be any integers (only equality matters).
 *
 * @example
 * const batches = pkBatches(labels, { p: 8, k: 4, seed: 1, epoch: 0 }); // Int32Array[] of 32 indices each
 */
export function pkBatches(labels: Int32Array, options: PkBatchOptions): Int32Array[] {
  if (!(labels instanceof Int32Array)) invalidArgument('labels', 'Int32Array', labels);
  const p = expectPositiveInteger('p', options.p);
  const k = expectPositiveInteger('k', options.k);
  const seed = expectNonNegativeInteger('seed', options.seed ?? 0);
  const epoch = expectNonNegativeInteger('epoch', options.epoch ?? 0);

  // Members of each class in index order (classes ordered by first appearance, so the result is label-value free).
  const classOf = new Map<number, number>();
  const members: number[][] = [];
  for (let i = 0; i < labels.length; i++) {
    let c = classOf.get(labels[i]);
    if (c === undefined) {
      c = members.length;
      classOf.set(labels[i], c);
      members.push([]);
    }
    members[c].push(i);
  }
  if (members.length < p) {
    invalidArgument(
      'p',
      `at most the number of classes (${members.length})`,
      p,
      'Lower P (classes per batch) or give more classes.',
    );
  }
  const rng = new Rng(deriveSeed(seed, epoch));

  // Cut each class into shuffled groups of k.
  const groups: Int32Array[][] = members.map((m) => {
    const idx = rng.shuffle(Int32Array.from(m));
    const out: Int32Array[] = [];
    for (let s = 0; s < idx.length; s += k) {
      const g = new Int32Array(k);
      const take = Math.min(k, idx.length - s);
      g.set(idx.subarray(s, s + take));
      for (let t = take; t < k; t++) g[t] = idx[rng.int(idx.length)];
      out.push(g);
    }
    return out;
  });

  const remaining = groups.map((g) => g.length);
  let totalLeft = remaining.reduce((s, n) => s + n, 0);
  const batches: Int32Array[] = [];
  const chosen = new Uint8Array(members.length);
  while (totalLeft > 0) {
    const batch = new Int32Array(p * k);
    const picked: number[] = [];
    // Weighted draw without replacement among classes that still have groups.
    let weight = totalLeft;
    while (picked.length < p && weight > 0) {
      let r = rng.int(weight);
      let c = 0;
      for (; c < remaining.length; c++) {
        if (chosen[c]) continue;
        if (r < remaining[c]) break;
        r -= remaining[c];
      }
      chosen[c] = 1;
      weight -= remaining[c];
      picked.push(c);
    }
    picked.forEach((c, slot) => {
      remaining[c]--;
      totalLeft--;
      batch.set(groups[c][remaining[c]], slot * k);
    });
    // Tail of the epoch: too few classes left → complete with random groups of classes not yet in this batch.
    for (let slot = picked.length; slot < p; slot++) {
      let c = rng.int(members.length);
      while (chosen[c]) c = (c + 1) % members.length;
      chosen[c] = 1;
      picked.push(c);
      batch.set(groups[c][rng.int(groups[c].length)], slot * k);
    }
    for (const c of picked) chosen[c] = 0;
    batches.push(batch);
  }
  return batches;
}
