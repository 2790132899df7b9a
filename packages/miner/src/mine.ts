/**
 * The miner's public entry points: {@link mine} (synchronous, for one training batch or any in-memory job),
 * {@link mineStream} (async iterable of triplet batches in canonical order, multi-threaded, for outputs too large for
 * memory) and {@link mineAsync} (the same, concatenated).
 */
import os from 'node:os';
import { expectPositiveInteger, invalidArgument, TripletkitError } from '@tripletkit/common';
import { blockMiner } from './core/mineBlock.ts';
import { allocTriplets, MaterializedBlock, materialize, type PendingBlock } from './core/pendingBlock.ts';
import { type Prepared, prepare, sharePrepared } from './core/prepare.ts';
import { resolveOptions } from './core/resolveOptions.ts';
import { concatTriplets, emptyTriplets } from './core/tripletBuffer.ts';
import type { MinedTriplets, MineOptions, ResolvedOptions } from './core/types.ts';
import { mineInWorkers } from './core/workerPool.ts';

/** Below this many multiply-adds (anchors × candidates × dim) threads cost more than they save. */
const WORKER_THRESHOLD = 2 ** 28;

/**
 * Default {@link MineOptions.maxTriplets}: 2 GiB of result arrays (20 bytes a triplet). An in-memory result larger
 * than this is almost always a mistake (an uncapped strategy on an untrained model); it has to be asked for.
 */
export const DEFAULT_MAX_TRIPLETS = Math.floor(2 ** 31 / 20);

function maxTripletsOf(options: MineOptions): number {
  const m = options.maxTriplets ?? DEFAULT_MAX_TRIPLETS;
  if (m !== Number.POSITIVE_INFINITY && !(Number.isInteger(m) && m >= 0)) {
    invalidArgument('maxTriplets', 'a non-negative integer or Infinity', m);
  }
  return m;
}

function overBudget(fn: string, total: number, budget: number, done: number, anchors: number): never {
  const more = done < anchors ? 'at least ' : '';
  const gb = (n: number) => `${((n * 20) / 2 ** 30).toFixed(1)} GiB`;
  throw new TripletkitError(
    'E_BUDGET',
    `${fn} would return ${more}${total.toLocaleString('en')} triplets (${gb(total)} of arrays), more than maxTriplets = ${budget.toLocaleString('en')} (${gb(budget)}).`,
    {
      hint: 'Stream them with mineStream() (tripletkit mine writes them to a file in bounded memory), cap them with maxPerAnchor or negativesPerPair, or raise maxTriplets.',
    },
  );
}

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
  const budget = maxTripletsOf(options);
  const { prepared, options: resolved, blocks, anchors } = plan(embeddings, dim, labels, options);
  const miner = blockMiner(prepared, resolved);
  // Count every block before writing any triplet: the budget is checked before the result is allocated, and the
  // result is allocated once, exactly (no growth, no concatenation).
  const pending: PendingBlock[] = [];
  let total = 0;
  let done = 0;
  for (const [a0, a1] of blocks) {
    let b = miner.scan(a0, a1);
    total += b.total;
    done += a1 - a0;
    if (total > budget) overBudget('mine()', total, budget, done, anchors);
    // A block that holds more than its output would take (many positives, few triplets) is written out now.
    if (b.retainedBytes > 20 * b.total) b = new MaterializedBlock(materialize(b));
    if (b.total > 0) pending.push(b);
    options.onProgress?.(done, anchors);
  }
  if (pending.length === 1) return materialize(pending[0]);
  const out = allocTriplets(total);
  let w = 0;
  for (const b of pending) while (b.remaining > 0) w = b.expand(out, w, total);
  return out;
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
  for await (const b of pendingBlocks(embeddings, dim, labels, options, true)) yield materialize(b);
}

/**
 * {@link mineStream}'s blocks before their triplets are written: each block's size is known and its triplets are
 * expanded into the consumer's own (reused) arrays — how `tripletkit mine` streams an output of any size to its file
 * through a few megabytes. A block must be fully expanded before the next one is requested.
 *
 * @example
 * for await (const block of minePending(emb, 64, labels, { strategy: 'semi-hard' })) {
 *   while (block.remaining > 0) write(chunk, block.expand(chunk, 0, chunk.anchors.length));
 * }
 */
export function minePending(
  embeddings: Float32Array,
  dim: number,
  labels: Int32Array,
  options: MineOptions = {},
): AsyncGenerator<PendingBlock> {
  return pendingBlocks(embeddings, dim, labels, options, false);
}

/** `asArrays`: worker threads expand each block into arrays (in parallel), for consumers that want arrays. */
async function* pendingBlocks(
  embeddings: Float32Array,
  dim: number,
  labels: Int32Array,
  options: MineOptions,
  asArrays: boolean,
): AsyncGenerator<PendingBlock> {
  const p = plan(embeddings, dim, labels, options);
  const workers = workerCount(p, options.workers);
  let done = 0;
  if (workers === 0) {
    const miner = blockMiner(p.prepared, p.options);
    for (const [a0, a1] of p.blocks) {
      const block = miner.scan(a0, a1);
      done += a1 - a0;
      options.onProgress?.(done, p.anchors);
      yield block;
      block.release?.();
      // Let timers (progress, Ctrl-C) run between blocks.
      await new Promise<void>((r) => setImmediate(r));
    }
    return;
  }
  let b = 0;
  for await (const block of mineInWorkers(sharePrepared(p.prepared), p.options, p.blocks, workers, asArrays)) {
    const [a0, a1] = p.blocks[b++];
    done += a1 - a0;
    options.onProgress?.(done, p.anchors);
    yield block;
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
  const budget = maxTripletsOf(options);
  const parts: MinedTriplets[] = [];
  let total = 0;
  for await (const part of mineStream(embeddings, dim, labels, options)) {
    total += part.anchors.length;
    if (total > budget) overBudget('mineAsync()', total, budget, 0, 1);
    parts.push(part);
  }
  return parts.length ? concatTriplets(parts) : emptyTriplets();
}
