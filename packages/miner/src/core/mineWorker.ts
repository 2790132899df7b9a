/**
 * Worker thread entry: mines the anchor blocks the pool sends, over inputs shared through SharedArrayBuffers.
 * Results are transferred (not copied) back.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isTripletkitError } from '@tripletkit/common';
import { blockMiner } from './mineBlock.ts';
import type { Prepared } from './prepare.ts';
import type { ResolvedOptions } from './types.ts';

const { prepared, options } = workerData as { prepared: Prepared; options: ResolvedOptions };
const miner = blockMiner(prepared, options);
const port = parentPort;
if (!port) throw new Error('mineWorker must run in a worker thread');

port.on('message', (msg: { id: number; a0: number; a1: number }) => {
  try {
    const r = miner.mine(msg.a0, msg.a1);
    port.postMessage({ id: msg.id, result: r }, [
      r.anchors.buffer,
      r.positives.buffer,
      r.negatives.buffer,
      r.dAp.buffer,
      r.dAn.buffer,
    ] as ArrayBuffer[]);
  } catch (err) {
    const e = err as Error;
    port.postMessage({
      id: msg.id,
      error: { message: e.message, stack: e.stack, code: isTripletkitError(err) ? err.code : undefined },
    });
  }
});
