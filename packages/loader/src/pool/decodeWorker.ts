/**
 * Worker-thread entry: decodes chunks posted by {@link createDecodePool}. Each worker runs its own sharp pipelines
 * with one libvips thread (parallelism comes from the workers, without oversubscribing the cores).
 */
import { parentPort, workerData } from 'node:worker_threads';
import sharp from 'sharp';
import { decodeChunk } from '../decode/decodeChunk.ts';
import type { DecodeInput, DecodeOptions } from '../decode/decodeOptions.ts';

sharp.concurrency(1);
sharp.cache(false);
const options = (workerData as { options: DecodeOptions }).options;

parentPort!.on('message', async (msg: { id: number; inputs: DecodeInput[]; reuse?: ArrayBuffer }) => {
  try {
    const r = await decodeChunk(msg.inputs, options, msg.reuse);
    parentPort!.postMessage({ id: msg.id, pixels: r.pixels, failures: r.failures }, [r.pixels.buffer as ArrayBuffer]);
  } catch (err) {
    parentPort!.postMessage({ id: msg.id, error: err instanceof Error ? err.message : String(err) });
  }
});
