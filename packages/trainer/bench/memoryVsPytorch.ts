// Training memory side by side with PyTorch (issue 11): the same network (small-cnn), the same 240 images per step
// (tripletkit: 2 workers × P×K 10×12, the default data-parallel setup on 2 cores; PyTorch 1.13: one process, batches
// of 240, all cores), online mining, Adam — at 28×28 gray and 96×96 RGB Fashion-MNIST. Peak RSS is the whole process
// tree (bench/treeRss.ts); each side's images/s comes from its own run (so both include the same machine load).
// tripletkit reads the bench's cached images files (the 60k file at 28² is held in memory, the 10k file at 96² is
// read per batch); PyTorch holds the 60k 28² uint8 images in memory and resizes each batch (bench/peers/torchMemory.py).
// MEMORY_STEPS (default 6) sets the steps at 96²; 28² runs 5× as many. The CLI runs from dist/ (`pnpm build` first).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { images } from './outOfCore.ts';
import { runTree } from './treeRss.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const cli = path.resolve(here, '../../cli/bin/tripletkit.js');
const MB = 2 ** 20;

export interface Side {
  peakRss: number;
  imagesPerSecond: number;
}

/** `tripletkit train` on `file` for `steps` steps of 2 × 120 images. */
export async function tripletkitTrain(
  file: string,
  steps: number,
  env: NodeJS.ProcessEnv = {},
): Promise<Side | string> {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'tripletkit-mem-run-'));
  try {
    const args = [cli, 'train', '--images', file, '--mining', 'semi-hard', '--p', '10', '--k', '12', '--workers', '2'];
    args.push('--epochs', '1', '--steps-per-epoch', String(steps), '-o', out, '--json');
    const r = await runTree(process.execPath, args, env);
    if (r.status !== 0) return `train failed: ${r.stderr.trim().split('\n').slice(-2).join(' ')}`;
    const result = JSON.parse(r.stdout) as { epochs: { imagesPerSecond: number }[] };
    return { peakRss: r.peakRss, imagesPerSecond: result.epochs[0].imagesPerSecond };
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}

/** PyTorch 1.13 on the same network and batch. */
export async function pytorchTrain(size: number, channels: number, steps: number): Promise<Side | string> {
  const script = path.join(here, 'peers', 'torchMemory.py');
  const r = await runTree('/usr/bin/python3', [script, String(size), String(channels), '240', String(steps)]);
  const last = r.stdout.trim().split('\n').pop() ?? '';
  if (r.status !== 0 || !last.startsWith('{')) return `PyTorch failed: ${r.stderr.trim().split('\n').pop()}`;
  return { peakRss: r.peakRss, imagesPerSecond: (JSON.parse(last) as { imagesPerSecond: number }).imagesPerSecond };
}

const show = (s: Side | string) =>
  typeof s === 'string' ? s : `peak RSS ${(s.peakRss / MB).toFixed(0)} MB, ${s.imagesPerSecond.toFixed(1)} images/s`;

export async function run(): Promise<void> {
  console.log('\n== Training memory vs PyTorch 1.13: small-cnn, 240 images per step, Fashion-MNIST ==');
  if (!fs.existsSync('/usr/bin/python3') || !fs.existsSync('/usr/bin/time')) {
    console.log('skipped: needs /usr/bin/python3 with torch 1.13 and /usr/bin/time');
    return;
  }
  const steps = Number(process.env.MEMORY_STEPS ?? 6);
  for (const [size, channels, file, n] of [
    [28, 1, images('train', 28), steps * 5],
    [96, 3, images('t10k', 96), steps],
  ] as const) {
    const ours = await tripletkitTrain(file, n);
    const peer = await pytorchTrain(size, channels, n);
    console.log(`${size}² ${channels === 1 ? 'gray' : 'RGB'}, ${n} steps:`);
    console.log(`  tripletkit (2 workers × 120): ${show(ours)}`);
    console.log(`  PyTorch (240, all cores):     ${show(peer)}`);
    if (typeof ours !== 'string' && typeof peer !== 'string') {
      const m = ours.peakRss / peer.peakRss;
      const s = ours.imagesPerSecond / peer.imagesPerSecond;
      console.log(`  memory ${m.toFixed(2)}× PyTorch's (target ≤ 1.5×), speed ${s.toFixed(2)}× PyTorch's`);
    }
  }
}
