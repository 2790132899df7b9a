/**
 * Worker thread entry: mines the anchor blocks the pool sends, over inputs shared through SharedArrayBuffers.
 * Results are transferred (not copied) back: as triplets, or as the compact records an output-heavy block expands
 * from when the consumer expands it chunk by chunk (see blockTransfer.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isTripletkitError } from '@tripletkit/common';
import { packBlock } from './blockTransfer.ts';
import { blockMiner } from './mineBlock.ts';
import type { Prepared } from './prepare.ts';
import type { ResolvedOptions } from './types.ts';

const { prepared, options, asArrays } = workerData as {
  prepared: Prepared;
  options: ResolvedOptions;
  asArrays: boolean;
};
const miner = blockMiner(prepared, options);
const port = parentPort;
if (!port) throw new Error('mineWorker must run in a worker thread');

port.on('message', (msg: { id: number; a0: number; a1: number }) => {
  try {
    const { message, transfer } = packBlock(miner.scan(msg.a0, msg.a1), asArrays);
    port.postMessage({ id: msg.id, block: message }, transfer);
  } catch (err) {
    const e = err as Error;
    port.postMessage({
      id: msg.id,
      error: { message: e.message, stack: e.stack, code: isTripletkitError(err) ? err.code : undefined },
    });
  }
});
