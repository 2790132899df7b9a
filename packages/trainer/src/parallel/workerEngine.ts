/**
 * Data-parallel training over worker threads (wasm runs single-threaded in Node, so this is how both cores get
 * used): every step each worker computes the gradient of its own batch's SUMMED loss on a replica of the current
 * weights; the trainer adds them in worker order (deterministic), divides once by the combined denominator and
 * applies the optimizer — exactly the update of the union of the batches, like PyTorch DDP where every replica mines
 * its own batch.
 */
import type { Worker } from 'node:worker_threads';
import type * as tfl from '@tensorflow/tfjs-layers';
import { type ErrorCode, startWorker, TripletkitError } from '@tripletkit/common';
import type { BackendChoice } from '../backend/selectBackend.ts';
import { serializeModel } from '../model/modelIO.ts';
import type { StepConfig, StepInput } from '../train/computeStep.ts';
import type { InitMessage, StepReply } from './protocol.ts';

/** The combined result of one data-parallel step. */
export interface ParallelStepResult {
  /** Σ over workers of d(Σ loss)/dw, model.trainableWeights order. */
  grads: Float32Array[];
  /** Non-trainable weights from the first worker (batch-norm statistics). */
  state: Float32Array[];
  lossSum: number;
  active: number;
  count: number;
}

/** A pool of training workers. */
export class WorkerEngine {
  private nextId = 0;
  private constructor(private readonly workers: Worker[]) {}

  /**
   * @example
   * const engine = await WorkerEngine.start(model, 'wasm', config, 2);
   */
  static async start(
    model: tfl.LayersModel,
    backend: BackendChoice,
    config: StepConfig,
    count: number,
  ): Promise<WorkerEngine> {
    const { modelTopology, weightSpecs, weightData } = await serializeModel(model);
    const init: InitMessage = {
      type: 'init',
      backend,
      modelTopology,
      weightSpecs,
      weightData,
      config,
    };
    const workers = Array.from({ length: count }, () => startWorker(import.meta.url, 'trainWorker'));
    const engine = new WorkerEngine(workers);
    try {
      await Promise.all(workers.map((w) => engine.request(w, init)));
    } catch (err) {
      await engine.close();
      throw err;
    }
    return engine;
  }

  get size(): number {
    return this.workers.length;
  }

  private request(worker: Worker, msg: object, transfer: ArrayBuffer[] = []): Promise<StepReply> {
    return new Promise((resolve, reject) => {
      const onMessage = (r: StepReply) => {
        cleanup();
        if (r.error) {
          const { code, message, hint } = r.error;
          reject(
            code
              ? new TripletkitError(code as ErrorCode, message, { hint })
              : new Error(`training worker failed: ${message}`),
          );
        } else resolve(r);
      };
      const onError = (err: Error) => {
        cleanup();
        reject(err);
      };
      const cleanup = () => {
        worker.off('message', onMessage);
        worker.off('error', onError);
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.postMessage(msg, transfer);
    });
  }

  /** Runs one batch per worker (inputs.length ≤ workers) on `weights` (model.weights order) and combines them. */
  async step(inputs: StepInput[], weights: Float32Array[]): Promise<ParallelStepResult> {
    const replies = await Promise.all(
      inputs.map((input, i) => this.request(this.workers[i], { type: 'step', id: this.nextId++, weights, input })),
    );
    const grads = replies[0].grads as Float32Array[];
    for (let w = 1; w < replies.length; w++) {
      const g = replies[w].grads as Float32Array[];
      for (let v = 0; v < grads.length; v++) {
        const a = grads[v];
        const b = g[v];
        for (let j = 0; j < a.length; j++) a[j] += b[j];
      }
    }
    return {
      grads,
      state: replies[0].state ?? [],
      lossSum: replies.reduce((s, r) => s + (r.lossSum ?? 0), 0),
      active: replies.reduce((s, r) => s + (r.active ?? 0), 0),
      count: replies.reduce((s, r) => s + (r.count ?? 0), 0),
    };
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
