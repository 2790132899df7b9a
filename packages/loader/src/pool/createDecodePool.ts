/**
 * A pool of decoding worker threads (or the calling thread when `threads` ≤ 1). Chunks are queued and handed to the
 * first idle worker; callers await results in input order, so output never depends on which worker was faster.
 */
import type { Worker } from 'node:worker_threads';
import { startWorker, workersAvailable } from '@tripletkit/common';
import pLimit from 'p-limit';
import { decodeChunk } from '../decode/decodeChunk.ts';
import type { DecodedChunk, DecodeInput, DecodeOptions } from '../decode/decodeOptions.ts';

/** Decodes chunks, possibly in parallel. */
export interface DecodePool {
  readonly threads: number;
  decode(inputs: DecodeInput[]): Promise<DecodedChunk>;
  /** Hands a result's pixel buffer back once its rows are copied out, to be decoded into again (no allocation). */
  release(pixels: Uint8Array): void;
  close(): Promise<void>;
}

interface Task {
  id: number;
  inputs: DecodeInput[];
  resolve: (r: DecodedChunk) => void;
  reject: (e: Error) => void;
}

/** Starts a decoding worker (decodeWorker next to this module; see @tripletkit/common startWorker). */
function spawnWorker(options: DecodeOptions): Worker {
  return startWorker(import.meta.url, 'decodeWorker', { workerData: { options } });
}

/**
 * @example
 * const pool = createDecodePool(options, 2);
 * const { pixels, failures } = await pool.decode([{ file: 'a.png' }]);
 * await pool.close();
 */
export function createDecodePool(options: DecodeOptions, threads: number): DecodePool {
  // Pixel buffers handed back by the consumer; each outgoing chunk takes one (transferred, not copied).
  const spare: ArrayBuffer[] = [];
  const release = (pixels: Uint8Array) => {
    if (spare.length < 2 * Math.max(threads, 1) + 2) spare.push(pixels.buffer as ArrayBuffer);
  };
  if (threads <= 1 || !workersAvailable(import.meta.url)) {
    // One chunk at a time: decoding reuses per-thread scratch buffers across an await (sharp).
    const limit = pLimit(1);
    return {
      threads: 1,
      decode: (inputs) => limit(() => decodeChunk(inputs, options, spare.pop())),
      release,
      close: async () => undefined,
    };
  }
  const workers: Worker[] = [];
  const idle: Worker[] = [];
  const running = new Map<Worker, Task>();
  const queue: Task[] = [];
  let nextId = 0;
  let broken: Error | undefined;

  const pump = () => {
    while (idle.length && queue.length) {
      const w = idle.shift()!;
      const t = queue.shift()!;
      running.set(w, t);
      const reuse = spare.pop();
      w.postMessage({ id: t.id, inputs: t.inputs, reuse }, reuse ? [reuse] : []);
    }
  };
  const fail = (err: Error) => {
    broken = err;
    for (const t of [...running.values(), ...queue.splice(0)]) t.reject(err);
    running.clear();
  };
  for (let i = 0; i < threads; i++) {
    const w = spawnWorker(options);
    w.on('message', (msg: { id: number; pixels?: Uint8Array; failures?: DecodedChunk['failures']; error?: string }) => {
      const t = running.get(w);
      running.delete(w);
      idle.push(w);
      if (t) {
        if (msg.error !== undefined) t.reject(new Error(`decoding worker failed: ${msg.error}`));
        else t.resolve({ pixels: msg.pixels!, failures: msg.failures! });
      }
      pump();
    });
    w.on('error', (err) => fail(err));
    w.on('exit', (code) => {
      if (code !== 0 && !broken) fail(new Error(`decoding worker exited with code ${code}`));
    });
    workers.push(w);
    idle.push(w);
  }
  return {
    threads,
    release,
    decode(inputs) {
      if (broken) return Promise.reject(broken);
      return new Promise<DecodedChunk>((resolve, reject) => {
        queue.push({ id: nextId++, inputs, resolve, reject });
        pump();
      });
    },
    async close() {
      broken ??= new Error('decode pool closed');
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
