/**
 * The miner's public entry points: {@link mine} (synchronous, for one training batch or any in-memory job),
 * {@link mineStream} (async iterable of triplet batches in canonical order, multi-threaded, for outputs too large for
 * memory) and {@link mineAsync} (the same, concatenated).
 */
import os from 'node:os';
import { expectPositiveInteger, invalidArgument } from '@tripletkit/common';
import { blockMiner } from './core/mineBlock.ts';
import { type Prepared, prepare, sharePrepared } from './core/prepare.ts';
import { resolveOptions } from './core/resolveOptions.ts';
import { concatTriplets, emptyTriplets } from './core/tripletBuffer.ts';
import type { MinedTriplets, MineOptions, ResolvedOptions } from './core/types.ts';
import { mineInWorkers } from './core/workerPool.ts';

/** Below this many multiply-adds (anchors × candidates × dim) threads cost more than they save. */
const WORKER_THRESHOLD = 2 ** 28;

/** Anchor rows [from, to) of shard `index` of `count` (contiguous, sizes differ by at most one). */
export function shardRange(rows: number, index: number, count: number): [number, number] {
  return [Math.floor((index * rows) / count), Math.floor(((index + 1) * rows) / count)];
}

interface Plan {
  prepared: Prepared;
  options: ResolvedOptions;
  blocks: [number, number][];
  anchors: number;
}

function plan(embeddings: Float32Array, dim: number, labels: Int32Array, options: MineOptions): Plan {
  expectPositiveInteger('dim', dim);
  const resolved = resolveOptions(options);
  const prepared = prepare(embeddings, dim, labels, options.reference, resolved);
  let [from, to] = [0, prepared.nA];
  if (options.shard !== undefined) {
    const count = expectPositiveInteger('shard.count', options.shard.count);
    const index = options.shard.index;
    if (!Number.isInteger(index) || index < 0 || index >= count) {
      invalidArgument('shard.index', `an integer from 0 to ${count - 1}`, index);
    }
    [from, to] = shardRange(prepared.nA, index, count);
  }
  const blocks: [number, number][] = [];
  for (let a = from; a < to; a += resolved.tileSize) blocks.push([a, Math.min(to, a + resolved.tileSize)]);
  return { prepared, options: resolved, blocks, anchors: to - from };
}

/**
 * Mines triplets on the calling thread. Cheap enough to call on every training batch (e.g. 128×64).
 *
 * @example
 * const t = mine(embeddings, 64, labels, { strategy: 'semi-hard' }); // PML defaults: euclidean, normalised, margin 0.2
 * t.anchors; t.positives; t.negatives; t.dAp; t.dAn;
 */
export function mine(
  embeddings: Float32Array,
  dim: number,
  labels: Int32Array,
  options: MineOptions = {},
): MinedTriplets {
  const { prepared, options: resolved, blocks, anchors } = plan(embeddings, dim, labels, options);
  const miner = blockMiner(prepared, resolved);
  const parts: MinedTriplets[] = [];
  let done = 0;
  for (const [a0, a1] of blocks) {
    parts.push(miner.mine(a0, a1));
    done += a1 - a0;
    options.onProgress?.(done, anchors);
  }
  return parts.length ? concatTriplets(parts) : emptyTriplets();
}

/** Worker count for a job: the caller's choice, else every core for large jobs and none for small ones. */
function workerCount(p: Plan, requested: number | undefined): number {
  if (requested !== undefined) {
    if (!Number.isInteger(requested) || requested < 0) invalidArgument('workers', 'non-negative integer', requested);
    return Math.min(requested, p.blocks.length);
  }
  const work = p.anchors * p.prepared.nC * p.prepared.dim;
  const cores = os.availableParallelism();
  return work >= WORKER_THRESHOLD && cores > 1 ? Math.min(cores, p.blocks.length) : 0;
}

/**
 * Mines triplets block by block, yielding each anchor block's triplets in canonical (anchor, positive, negative)
 * order; the concatenation equals {@link mine}'s result for any tile size and worker count.
 *
 * @example
 * for await (const batch of mineStream(emb, 128, labels, { strategy: 'semi-hard', maxPerAnchor: 10, workers: 2 })) {
 *   write(batch);
 * }
 */
export async function* mineStream(
  embeddings: Float32Array,
  dim: number,
  labels: Int32Array,
  options: MineOptions = {},
): AsyncGenerator<MinedTriplets> {
  const p = plan(embeddings, dim, labels, options);
  const workers = workerCount(p, options.workers);
  let done = 0;
  if (workers === 0) {
    const miner = blockMiner(p.prepared, p.options);
    for (const [a0, a1] of p.blocks) {
      const part = miner.mine(a0, a1);
      done += a1 - a0;
      options.onProgress?.(done, p.anchors);
      yield part;
      // Let timers (progress, Ctrl-C) run between blocks.
      await new Promise<void>((r) => setImmediate(r));
    }
    return;
  }
  let b = 0;
  for await (const part of mineInWorkers(sharePrepared(p.prepared), p.options, p.blocks, workers)) {
    const [a0, a1] = p.blocks[b++];
    done += a1 - a0;
    options.onProgress?.(done, p.anchors);
    yield part;
  }
}

/**
 * {@link mineStream} collected into one result (uses worker threads for large jobs).
 *
 * @example
 * const t = await mineAsync(emb, 128, labels, { strategy: 'hard', workers: 2 });
 */
export async function mineAsync(
  embeddings: Float32Array,
  dim: number,
  labels: Int32Array,
  options: MineOptions = {},
): Promise<MinedTriplets> {
  const parts: MinedTriplets[] = [];
  for await (const part of mineStream(embeddings, dim, labels, options)) parts.push(part);
  return parts.length ? concatTriplets(parts) : emptyTriplets();
}
