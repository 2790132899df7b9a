// Mining benchmark (issue 2): all semi-hard triplets for N=1,024, D=64, and 100k×128 with --max-per-anchor 10.
// Each case runs in a child process so its peak RSS is measured alone. The peer is a brute-force PyTorch
// implementation (cdist + masks) on the same data, measured in the same run when PyTorch is installed for
// /usr/bin/python3; PyTorch Metric Learning itself cannot be installed here, so its figure from the issue is quoted.
// Run alone: node --conditions=source --import tsx -e "import('./packages/miner/bench/mining.ts').then(m=>m.run())"
// Environment: MINING_BENCH_LARGE_N overrides 100 000 (e.g. for a quick look).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { kernelInfo } from '../src/index.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const MB = 1024 * 1024;

interface ChildResult {
  times: number[];
  /** CPU seconds (all threads) per repeat: what the run costs when other processes share the cores. */
  cpu?: number[];
  triplets: number;
  peakRss: number;
  baseRss?: number;
}

function runChild(cmd: string, args: string[]): ChildResult | string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 16 * MB });
  if (r.status !== 0)
    return `${cmd} failed: ${(r.stderr || r.error?.message || '').trim().split('\n').slice(-3).join(' ')}`;
  const line = r.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as ChildResult;
}

function ours(c: Record<string, unknown>, dataFile?: string): ChildResult | string {
  const args = ['--conditions=source', '--import', 'tsx', path.join(here, 'miningChild.ts'), JSON.stringify(c)];
  return runChild(process.execPath, dataFile ? [...args, dataFile] : args);
}

const fmt = (s: number) => (s < 1 ? `${(s * 1000).toFixed(0)} ms` : `${s.toFixed(2)} s`);
const best = (t: number[]) => Math.min(...t);

export async function run(): Promise<void> {
  console.log(`\n== Mining (kernel: ${kernelInfo().kernel}, ${os.availableParallelism()} cores) ==`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tripletkit-bench-'));
  try {
    // Case 1: every semi-hard triplet, N=1,024, D=64, 10 classes.
    const small = { n: 1024, dim: 64, classes: 10, sigma: 0.1, strategy: 'semi-hard', repeats: 5, stream: false };
    const dataFile = path.join(tmp, 'small.bin');
    const a = ours(small, dataFile);
    if (typeof a === 'string') {
      console.log(`all semi-hard, N=1,024 D=64: ${a}`);
    } else {
      console.log(
        `all semi-hard, N=1,024 D=64 (10 classes): ${a.triplets.toLocaleString('en')} triplets, ` +
          `${fmt(best(a.times))} best of ${a.times.length} (first ${fmt(a.times[0])}; CPU ${fmt(best(a.cpu ?? [0]))}), ` +
          `${(a.triplets / best(a.times) / 1e6).toFixed(1)} M triplets/s, peak RSS ${(a.peakRss / MB).toFixed(0)} MB ` +
          `(process before mining ${((a.baseRss ?? 0) / MB).toFixed(0)} MB) — target < 0.5 s, < 1 GB`,
      );
      const py = '/usr/bin/python3';
      const torch = fs.existsSync(py)
        ? runChild(py, [path.join(here, 'torchSemiHard.py'), dataFile, '1024', '64', '0.2', '3'])
        : 'no /usr/bin/python3';
      if (typeof torch === 'string') {
        console.log(`  peer PyTorch brute force: skipped (${torch.slice(0, 200)})`);
      } else {
        const same = torch.triplets === a.triplets ? 'same count' : `count differs: ${torch.triplets}`;
        console.log(
          `  peer PyTorch brute force (cdist + masks, 2 threads): ${fmt(best(torch.times))} best of ${torch.times.length} ` +
            `(CPU ${fmt(best(torch.cpu ?? [0]))}), ` +
            `peak RSS ${(torch.peakRss / MB).toFixed(0)} MB, ${same} → tripletkit is ` +
            `${(best(torch.times) / best(a.times)).toFixed(1)}× faster`,
        );
      }
      console.log(
        '  PML TripletMarginMiner (from the issue, not runnable here): 26 s and 24 GB at N=1,024; killed at 2,048',
      );
    }

    // Case 2: 100k × 128, semi-hard, at most 10 per anchor, streamed, worker threads.
    const n = Number(process.env.MINING_BENCH_LARGE_N ?? 100_000);
    const large = {
      n,
      dim: 128,
      classes: Math.max(2, Math.round(n / 100)),
      sigma: 0.1,
      strategy: 'semi-hard',
      maxPerAnchor: 10,
      repeats: 1,
      stream: true,
    };
    const b = ours(large);
    if (typeof b === 'string') console.log(`semi-hard --max-per-anchor 10, ${n}×128: ${b}`);
    else {
      const t = b.times[0];
      const flop = 2 * n * n * 128;
      console.log(
        `semi-hard --max-per-anchor 10, ${n.toLocaleString('en')}×128 (${large.classes} classes): ` +
          `${b.triplets.toLocaleString('en')} triplets in ${fmt(t)} (CPU ${fmt(b.cpu?.[0] ?? 0)} over ${os.availableParallelism()} cores; ` +
          `${Math.round(b.triplets / t).toLocaleString('en')} triplets/s, ` +
          `${(flop / t / 1e9).toFixed(0)} GFLOP/s of distances), peak RSS ${(b.peakRss / MB).toFixed(0)} MB — target < 60 s, < 1 GB`,
      );
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
