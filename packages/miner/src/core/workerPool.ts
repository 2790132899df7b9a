/**
 * Mines anchor blocks on worker threads and yields them in block order (so output is identical to a single-threaded
 * run). At most `2 × workers` blocks are in flight or waiting, which bounds memory, and nothing new is dispatched while
 * the consumer is busy with a yielded block (backpressure). `asArrays`: each block arrives as its triplets (expanded
 * in parallel, for consumers that want arrays); otherwise an output-heavy block arrives as its compact records, which
 * the consumer expands into its own chunks, so that what is held stays bounded however many triplets a block forms.
 */
import type { Worker } from 'node:worker_threads';
import { type ErrorCode, startWorker, TripletkitError } from '@tripletkit/common';
import { type BlockMessage, unpackBlock } from './blockTransfer.ts';
import type { PendingBlock } from './pendingBlock.ts';
import type { Prepared } from './prepare.ts';
import type { ResolvedOptions } from './types.ts';

type Reply = { id: number; block?: BlockMessage; error?: { message: string; stack?: string; code?: ErrorCode } };

/**
 * @example
 * for await (const block of mineInWorkers(sharePrepared(p), options, blocks, 2, false)) consume(block);
 */
export async function* mineInWorkers(
  prepared: Prepared,
  options: ResolvedOptions,
  blocks: [number, number][],
  workers: number,
  asArrays: boolean,
): AsyncGenerator<PendingBlock> {
  const pool: Worker[] = [];
  const done = new Map<number, PendingBlock>();
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const signal = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const idle: Worker[] = [];
  try {
    for (let w = 0; w < Math.min(workers, blocks.length); w++) {
      const worker = startWorker(import.meta.url, 'mineWorker', { workerData: { prepared, options, asArrays } });
      worker.on('message', (msg: Reply) => {
        if (msg.error) {
          const { code, message } = msg.error;
          failure ??= code ? new TripletkitError(code, message) : new Error(`mining worker failed: ${message}`);
        } else if (msg.block) done.set(msg.id, unpackBlock(msg.block));
        idle.push(worker);
        signal();
      });
      worker.on('error', (err) => {
        failure ??= err;
        signal();
      });
      worker.on('exit', (code) => {
        if (code !== 0) failure ??= new Error(`mining worker exited with code ${code}`);
        signal();
      });
      pool.push(worker);
      idle.push(worker);
    }
    const window = 2 * pool.length;
    let nextDispatch = 0;
    let nextYield = 0;
    while (nextYield < blocks.length) {
      if (failure) throw failure;
      while (idle.length > 0 && nextDispatch < blocks.length && nextDispatch < nextYield + window) {
        const [a0, a1] = blocks[nextDispatch];
        idle.pop()?.postMessage({ id: nextDispatch, a0, a1 });
        nextDispatch++;
      }
      const ready = done.get(nextYield);
      if (ready) {
        done.delete(nextYield);
        nextYield++;
        yield ready;
        continue;
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
}
