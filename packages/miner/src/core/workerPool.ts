/**
 * Mines anchor blocks on worker threads and yields their results in block order (so output is identical to a
 * single-threaded run). At most `2 × workers` blocks are in flight or waiting, which bounds memory, and nothing new is
 * dispatched while the consumer is busy with a yielded block (backpressure).
 */
import type { Worker } from 'node:worker_threads';
import { type ErrorCode, startWorker, TripletkitError } from '@tripletkit/common';
import type { Prepared } from './prepare.ts';
import type { MinedTriplets, ResolvedOptions } from './types.ts';

type Reply = { id: number; result?: MinedTriplets; error?: { message: string; stack?: string; code?: ErrorCode } };

/**
 * @example
 * for await (const part of mineInWorkers(sharePrepared(p), options, blocks, 2)) consume(part);
 */
export async function* mineInWorkers(
  prepared: Prepared,
  options: ResolvedOptions,
  blocks: [number, number][],
  workers: number,
): AsyncGenerator<MinedTriplets> {
  const pool: Worker[] = [];
  const done = new Map<number, MinedTriplets>();
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
      const worker = startWorker(import.meta.url, 'mineWorker', { workerData: { prepared, options } });
      worker.on('message', (msg: Reply) => {
        if (msg.error) {
          const { code, message } = msg.error;
          failure ??= code ? new TripletkitError(code, message) : new Error(`mining worker failed: ${message}`);
        } else if (msg.result) done.set(msg.id, msg.result);
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
