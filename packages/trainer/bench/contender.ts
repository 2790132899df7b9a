/**
 * One contender of the trainer benchmark, in its own process so that its peak RSS is its own:
 * `contender.ts <wasm|tensorflow|cpu> <small-cnn|resnet-small> <workers> <steps>` prints one JSON line
 * {rate, perCpu, peakRssMb, backend}. The step is the trainer's: online batch-hard mining on a P×K = 32×4 batch,
 * triplet loss from the distance matrix, Adam — on the host (wasm/cpu, data-parallel workers) or on backend variables
 * (tensorflow), exactly as `train()` does.
 */
import * as tf from '@tensorflow/tfjs-core';
import {
  Adam,
  type BackendChoice,
  buildEncoder,
  computeStep,
  type EncoderName,
  lossDenominator,
  onlineEpoch,
  selectBackend,
} from '../src/index.ts';
import { WorkerEngine } from '../src/parallel/workerEngine.ts';

export const SHAPES: Record<EncoderName, [number, number, number]> = {
  'small-cnn': [28, 28, 1],
  'resnet-small': [64, 64, 3],
};
const P = 32;
const K = 4;
/** resnet-small steps are ~10× longer: one warm-up step is enough. */
const WARMUP: Record<EncoderName, number> = { 'small-cnn': 3, 'resnet-small': 1 };

async function main(): Promise<void> {
  const [backendArg, encoderArg, workersArg, stepsArg] = process.argv.slice(2);
  const encoder = encoderArg as EncoderName;
  const workers = Number(workersArg);
  const steps = Number(stepsArg);
  const backend = await selectBackend(backendArg as BackendChoice);
  const shape = SHAPES[encoder];
  const size = shape[0] * shape[1] * shape[2];
  const model = buildEncoder(encoder, { inputShape: shape, embeddingDim: 64, seed: 0 });
  const optimizer = new Adam(1e-3);
  const labels = Int32Array.from({ length: 4096 }, (_, i) => i % P);
  const pixels = Uint8Array.from({ length: P * K * size }, (_, i) => (i * 2654435761) >>> 24);
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  // Each worker mines its own P/W × K batch (DDP-style); together 128 images per step.
  const batches = onlineEpoch(labels, P / workers, K, 0, 0);
  const config = {
    shape,
    normalization: { mean: shape.map(() => 0), std: shape.map(() => 255) },
    margin: 0.2,
    reduction: 'nonzero-mean' as const,
    mining: 'batch-hard' as const,
  };
  const engine = workers > 1 ? await WorkerEngine.start(model, backend.name, config, workers) : undefined;
  const onDevice = backend.name === 'tensorflow' && !engine;
  /** The wasm/cpu update: Adam on Float32Arrays, then the new weights into the model's variables. */
  const hostUpdate = (grads: Float32Array[], scale: number) => {
    const params = vars.map((v) => Float32Array.from(v.dataSync()));
    optimizer.apply(params, grads, scale);
    tf.tidy(() => {
      for (let j = 0; j < vars.length; j++) vars[j].assign(tf.tensor(params[j], vars[j].shape, 'float32'));
    });
  };
  const step = async (i: number) => {
    const inputs = Array.from({ length: workers }, (_, w) => {
      const b = batches[(i * workers + w) % batches.length];
      return { pixels: pixels.subarray(0, b.rows.length * size), rows: b.rows.length, labels: b.labels };
    });
    if (engine) {
      const weights = model.weights.map((w) => w.read().dataSync() as Float32Array);
      const r = await engine.step(inputs, weights);
      hostUpdate(r.grads, 1 / lossDenominator('nonzero-mean', r.active, r.count));
      return;
    }
    const r = computeStep(model, inputs[0], config);
    const scale = 1 / lossDenominator('nonzero-mean', r.active, r.count);
    if (onDevice) optimizer.applyToVariables(vars, r.grads, scale);
    else
      hostUpdate(
        r.grads.map((g) => g.dataSync() as Float32Array),
        scale,
      );
    tf.dispose(r.grads);
  };
  for (let i = 0; i < WARMUP[encoder]; i++) await step(i);
  const t0 = performance.now();
  const c0 = process.cpuUsage(); // the whole process, worker threads and libtensorflow's pool included
  for (let i = 0; i < steps; i++) await step(i);
  const cpu = process.cpuUsage(c0);
  await engine?.close();
  const images = P * K * steps;
  console.log(
    JSON.stringify({
      rate: images / ((performance.now() - t0) / 1000),
      perCpu: images / ((cpu.user + cpu.system) / 1e6),
      peakRssMb: process.resourceUsage().maxRSS / 1024,
      backend: backend.description,
    }),
  );
}

if (process.argv[1]?.endsWith('contender.ts')) await main();
