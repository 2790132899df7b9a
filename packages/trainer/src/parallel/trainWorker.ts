/**
 * A data-parallel training worker: holds a replica of the encoder on its own wasm (or cpu) backend, receives the
 * current weights and a batch, returns the gradient of that batch's summed loss.
 */
import { parentPort } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { selectBackend } from '../backend/selectBackend.ts';
import '../model/l2Normalize.ts';
import { computeStep, type StepConfig } from '../train/computeStep.ts';
import type { InitMessage, StepMessage, StepReply } from './protocol.ts';

if (!parentPort) throw new Error('trainWorker must run in a worker thread');
const port = parentPort;
let model: tfl.LayersModel | undefined;
let config: StepConfig | undefined;

function reply(msg: StepReply, transfer: ArrayBuffer[] = []): void {
  port.postMessage(msg, transfer);
}

port.on('message', async (msg: InitMessage | StepMessage) => {
  try {
    if (msg.type === 'init') {
      await selectBackend(msg.backend);
      model = await tfl.loadLayersModel(
        tf.io.fromMemory({
          modelTopology: msg.modelTopology,
          weightSpecs: msg.weightSpecs as tf.io.WeightsManifestEntry[],
          weightData: msg.weightData,
        }),
      );
      config = msg.config;
      reply({ id: -1, ready: true });
      return;
    }
    if (!model || !config) throw new Error('worker not initialised');
    const weights = model.weights;
    tf.tidy(() => {
      weights.forEach((w, i) => {
        w.write(tf.tensor(msg.weights[i], w.shape as number[], 'float32'));
      });
    });
    const r = computeStep(model, msg.input, config);
    const grads = r.grads.map((g) => g.dataSync() as Float32Array);
    tf.dispose(r.grads);
    const state = model.nonTrainableWeights.map((w) => w.read().dataSync() as Float32Array);
    reply(
      { id: msg.id, grads, state, lossSum: r.lossSum, active: r.active, count: r.count },
      grads.map((g) => g.buffer as ArrayBuffer),
    );
  } catch (err) {
    const e = err as { message: string; code?: string; hint?: string };
    reply({ id: 'id' in msg ? msg.id : -1, error: { message: e.message, code: e.code, hint: e.hint } });
  }
});
