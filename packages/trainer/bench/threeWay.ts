/**
 * Training throughput, three contenders in the same run, each in its own process (so peak RSS is its own):
 * tripletkit on wasm + native kernels (the trainer's default worker count), tripletkit on tensorflow (libtensorflow
 * via tfjs-node, one process), and PyTorch 1.13 (all cores). Online batch-hard on P×K = 32×4 = 128 images per step,
 * Adam; small-cnn on 28×28 gray and resnet-small on 64×64 RGB.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CPU_EVIDENCE, chooseAuto } from '../src/backend/autoBackend.ts';
import type { EncoderName } from '../src/index.ts';
import { tensorflowInstalled } from '../test/helpers/backends.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const STEPS: Record<EncoderName, number> = { 'small-cnn': 30, 'resnet-small': 4 };

export interface Measured {
  rate: number;
  perCpu: number;
  peakRssMb: number;
  backend?: string;
}

/** Runs one contender in a child process; undefined (with the reason printed) when it cannot run. */
function child(label: string, cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): Measured | undefined {
  const r = spawnSync(cmd, args, {
    encoding: 'utf8',
    cwd: path.join(here, '..'),
    env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2', ...env },
  });
  const last = r.stdout?.trim().split('\n').pop() ?? '';
  if (r.status !== 0 || !last.startsWith('{')) {
    console.log(`  ${label}: skipped (${(r.stderr || r.error?.message || '').trim().split('\n').pop()})`);
    return undefined;
  }
  return JSON.parse(last);
}

export function tripletkit(backend: 'wasm' | 'tensorflow', encoder: EncoderName, workers: number) {
  const args = ['--conditions=source', '--import', 'tsx', path.join(here, 'contender.ts'), backend, encoder];
  return child(`tripletkit ${backend}`, process.execPath, [...args, String(workers), String(STEPS[encoder])]);
}

/** PyTorch with all cores and with 1 thread; the faster (under other load, OpenMP's spin-waiting can invert them). */
export function pytorch(encoder: EncoderName): (Measured & { threads: number }) | undefined {
  if (!existsSync('/usr/bin/python3')) return undefined;
  const script = path.join(here, 'peers', 'torchTrain.py');
  let best: (Measured & { threads: number }) | undefined;
  for (const threads of [os.availableParallelism(), 1]) {
    const args = [script, 'throughput', encoder, String(STEPS[encoder]), encoder === 'small-cnn' ? '3' : '1'];
    const m = child('PyTorch', '/usr/bin/python3', args, { TORCH_THREADS: String(threads) });
    if (m && (!best || m.rate > best.rate)) best = { ...m, threads };
  }
  return best;
}

const fmt = (m: Measured | undefined, peer: Measured | undefined) =>
  m === undefined
    ? 'skipped'
    : `${m.rate.toFixed(0).padStart(5)} images/s, ${m.perCpu.toFixed(0).padStart(5)} per CPU-s, peak RSS ${m.peakRssMb.toFixed(0).padStart(4)} MB` +
      (peer && m !== peer
        ? `  → ${(m.rate / peer.rate).toFixed(2)}× PyTorch (${(m.perCpu / peer.perCpu).toFixed(2)}× per CPU-s)`
        : '');

/** Prints the table, then `auto`'s recorded evidence (autoBackend.ts) next to this run's figures. */
export async function run(): Promise<void> {
  const wasmWorkers = Math.min(4, os.availableParallelism());
  console.log(
    `trainer throughput (online batch-hard, P×K 32×4 = 128 images/step, Adam): wasm+native with ${wasmWorkers} workers, tensorflow in one process, PyTorch 1.13 with ${os.availableParallelism()} threads or 1 (the faster)`,
  );
  if (!tensorflowInstalled()) console.log('  tensorflow: skipped (run pnpm tensorflow:install)');
  const evidence: string[] = [];
  for (const encoder of ['small-cnn', 'resnet-small'] as const) {
    const shape = encoder === 'small-cnn' ? '28×28×1' : '64×64×3';
    console.log(`${encoder} ${shape}, ${STEPS[encoder]} steps after warm-up:`);
    const wasm = tripletkit('wasm', encoder, wasmWorkers);
    const tfjs = tensorflowInstalled() ? tripletkit('tensorflow', encoder, 1) : undefined;
    const torch = pytorch(encoder);
    console.log(`  tripletkit wasm+native : ${fmt(wasm, torch)}`);
    console.log(`  tripletkit tensorflow  : ${fmt(tfjs, torch)}`);
    console.log(
      `  PyTorch 1.13           : ${fmt(torch, torch)}${torch ? ` (${torch.threads} thread(s), the faster)` : ''}`,
    );
    const recorded = CPU_EVIDENCE[encoder];
    const choice = chooseAuto({ cuda: false, tensorflow: true, nativeKernels: true, encoder }).order[0];
    const now = wasm && tfjs ? `this run wasm/tensorflow ${(wasm.rate / tfjs.rate).toFixed(2)}` : 'this run incomplete';
    evidence.push(
      `  ${encoder}: auto picks ${choice} (recorded ${recorded.wasm} vs ${recorded.tensorflow} images/s, ${recorded.source}); ${now}`,
    );
  }
  console.log("auto's CPU evidence (src/backend/autoBackend.ts; update it from an idle run):");
  for (const line of evidence) console.log(line);
  const load = os.loadavg()[0];
  if (load > os.availableParallelism()) {
    console.log(
      `note: load average ${load.toFixed(1)} on ${os.availableParallelism()} cores: wall-clock rates are depressed.`,
    );
  }
}
