/**
 * Training throughput: the small-cnn (conv3×3·32 relu → maxpool2 → conv3×3·64 relu → maxpool2 → flatten → dense 64,
 * L2-normalised), batch 128 of 28×28×1, Adam, triplet loss with batch-hard mining on P×K = 32×4 batches, trained by
 * tripletkit on the default CPU backend and by PyTorch (2 threads) in the same run, same step counts.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { Adam, buildEncoder, computeStep, lossDenominator, onlineEpoch, selectBackend } from '../src/index.ts';
import { WorkerEngine } from '../src/parallel/workerEngine.ts';

const STEPS = 30;
const WARMUP = 3;
const P = 32;
const K = 4;

const PY = `
import time, torch, torch.nn as nn, torch.nn.functional as F
torch.set_num_threads(2); torch.manual_seed(0)
class Net(nn.Module):
    def __init__(s):
        super().__init__()
        s.c1 = nn.Conv2d(1, 32, 3, padding=1); s.c2 = nn.Conv2d(32, 64, 3, padding=1); s.fc = nn.Linear(64*7*7, 64)
    def forward(s, x):
        x = F.max_pool2d(F.relu(s.c1(x)), 2); x = F.max_pool2d(F.relu(s.c2(x)), 2)
        return F.normalize(s.fc(x.flatten(1)), dim=1)
net = Net(); opt = torch.optim.Adam(net.parameters(), 1e-3)
x = torch.rand(128, 1, 28, 28); labels = torch.arange(32).repeat_interleave(4)
same = labels[:, None] == labels[None, :]; eye = torch.eye(128, dtype=torch.bool)
pos = same & ~eye; neg = ~same
def step():
    e = net(x); d = torch.cdist(e, e)
    dap = torch.where(pos, d, torch.zeros_like(d)).max(1).values
    dan = torch.where(neg, d, torch.full_like(d, 1e9)).min(1).values
    l = F.relu(dap - dan + 0.2)
    loss = l.sum() / max(int((l > 0).sum()), 1)
    opt.zero_grad(); loss.backward(); opt.step()
for _ in range(${WARMUP}): step()
t = time.perf_counter(); c = time.process_time()
for _ in range(${STEPS}): step()
print(128 * ${STEPS} / (time.perf_counter() - t), 128 * ${STEPS} / (time.process_time() - c))
`;

/** Wall-clock images/s, and images per CPU-second (all threads): the second is far less sensitive to other load. */
interface Rate {
  rate: number;
  perCpu: number;
}

function pytorch(): Rate | undefined {
  if (!existsSync('/usr/bin/python3')) return undefined;
  const r = spawnSync('/usr/bin/python3', ['-c', PY], { encoding: 'utf8' });
  if (r.status !== 0) {
    console.log(`PyTorch peer skipped: ${r.stderr.trim().split('\n').pop()}`);
    return undefined;
  }
  const [rate, perCpu] = r.stdout.trim().split(/\s+/).map(Number);
  return { rate, perCpu };
}

/** images/s of tripletkit with `workers` data-parallel workers, 128 images per step in total. */
async function tripletkit(workers: number): Promise<Rate & { backend: string }> {
  const backend = await selectBackend('auto');
  const model = buildEncoder('small-cnn', { inputShape: [28, 28, 1], embeddingDim: 64, seed: 0 });
  const optimizer = new Adam(1e-3);
  const labels = Int32Array.from({ length: 4096 }, (_, i) => i % 32);
  const pixels = Uint8Array.from({ length: 128 * 784 }, (_, i) => (i * 2654435761) >>> 24);
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  // Each worker mines its own P/W × K batch (DDP-style); together 128 images per step.
  const batches = onlineEpoch(labels, P / workers, K, 0, 0);
  const config = {
    shape: [28, 28, 1] as [number, number, number],
    normalization: { mean: [0], std: [1] },
    margin: 0.2,
    reduction: 'nonzero-mean' as const,
    mining: 'batch-hard' as const,
  };
  const engine = workers > 1 ? await WorkerEngine.start(model, backend.name, config, workers) : undefined;
  // The trainer's update: Adam on Float32Arrays, then the new weights into the model's variables.
  const apply = (grads: Float32Array[], active: number, count: number) => {
    const params = vars.map((v) => Float32Array.from(v.dataSync()));
    optimizer.apply(params, grads, 1 / lossDenominator('nonzero-mean', active, count));
    tf.tidy(() => {
      vars.forEach((v, j) => {
        v.assign(tf.tensor(params[j], v.shape, 'float32'));
      });
    });
  };
  const step = async (i: number) => {
    const inputs = Array.from({ length: workers }, (_, w) => {
      const b = batches[(i * workers + w) % batches.length];
      return { pixels: pixels.subarray(0, b.rows.length * 784), rows: b.rows.length, labels: b.labels };
    });
    if (engine) {
      const weights = model.weights.map((w) => w.read().dataSync() as Float32Array);
      const r = await engine.step(inputs, weights);
      apply(r.grads, r.active, r.count);
    } else {
      const r = computeStep(model, inputs[0], config);
      apply(
        r.grads.map((g) => g.dataSync() as Float32Array),
        r.active,
        r.count,
      );
      tf.dispose(r.grads);
    }
  };
  try {
    for (let i = 0; i < WARMUP; i++) await step(i);
    const t0 = performance.now();
    const c0 = process.cpuUsage(); // the whole process, worker threads included
    for (let i = 0; i < STEPS; i++) await step(i);
    const cpu = process.cpuUsage(c0);
    return {
      rate: (128 * STEPS) / ((performance.now() - t0) / 1000),
      perCpu: (128 * STEPS) / ((cpu.user + cpu.system) / 1e6),
      backend: backend.description,
    };
  } finally {
    await engine?.close();
    model.dispose();
  }
}

/** Prints images/s for tripletkit and PyTorch and their ratio. */
export async function run(): Promise<void> {
  console.log(
    `trainer throughput: small-cnn, batch 128 (P×K ${P}×${K}), 28×28×1, ${STEPS} steps after ${WARMUP} warm-up`,
  );
  const show = (r: Rate) => `${r.rate.toFixed(0)} images/s (${r.perCpu.toFixed(0)} images per CPU-second)`;
  const one = await tripletkit(1);
  console.log(`tripletkit (${one.backend}), 1 worker: ${show(one)}`);
  const two = await tripletkit(2);
  console.log(`tripletkit, 2 workers: ${show(two)}`);
  const pt = pytorch();
  if (pt === undefined) {
    console.log('PyTorch peer skipped: /usr/bin/python3 with torch not found (apt-get install python3-torch).');
    return;
  }
  console.log(`PyTorch 1.13, 2 threads: ${show(pt)}`);
  const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
  console.log(
    `ratio tripletkit / PyTorch, wall clock: ${ratio(one.rate, pt.rate)} (1 worker), ${ratio(two.rate, pt.rate)} (2 workers)`,
  );
  console.log(
    `ratio per CPU-second (less sensitive to other load; PyTorch's OpenMP threads spin-wait under contention): ${ratio(one.perCpu, pt.perCpu)} (1 worker), ${ratio(two.perCpu, pt.perCpu)} (2 workers)`,
  );
  const load = os.loadavg()[0];
  if (load > os.availableParallelism()) {
    console.log(
      `note: load average ${load.toFixed(1)} on ${os.availableParallelism()} cores, so wall-clock rates are depressed.`,
    );
  }
}
