// Out-of-core training (issue 11): peak RSS must not grow with the images file, and reading rows from the file must
// cost little against holding them in memory. Fashion-MNIST from Debian's dataset-fashion-mnist IDX files, loaded
// with `tripletkit load` (cached in the temp folder): the 10k test and 60k training images at 96×96 RGB (265 MB and
// 1.6 GB files, both read from the file), then 28×28 held in memory against TRIPLETKIT_IMAGES_IN_MEMORY=never.
// Each run is `tripletkit train` (small-cnn, online semi-hard, 2 workers × 120 images) under /usr/bin/time.
// The CLI runs from dist/ (`pnpm install` or `pnpm build` first). Run alone:
//   node --conditions=source --import tsx -e "import('./packages/trainer/bench/outOfCore.ts').then(m=>m.run())"
// OUT_OF_CORE_STEPS (default 10) sets the steps per 96² run (28² runs take 6×).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const cli = path.resolve(here, '../../cli/bin/tripletkit.js');
const IDX = '/usr/share/datasets/fashion-mnist';
const cache = path.join(os.tmpdir(), 'tripletkit-bench-fashion-mnist');
const MB = 1024 * 1024;

/** The images file for `split` (t10k | train) at `size` (RGB at 96, gray at 28), built once. */
export function images(split: string, size: number): string {
  const file = path.join(cache, `${split}-${size}.arrow`);
  if (fs.existsSync(file)) return file;
  fs.mkdirSync(cache, { recursive: true });
  const args = ['load', '--idx', `${IDX}/${split}-images-idx3-ubyte.gz`, `${IDX}/${split}-labels-idx1-ubyte.gz`];
  if (size !== 28) args.push('--size', String(size), '--channels', '3');
  const r = spawnSync(process.execPath, [cli, ...args, '-o', file], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tripletkit load failed: ${r.stderr}`);
  return file;
}

interface Run {
  rss: number;
  imagesPerSecond: number;
  storage: string;
}

function train(file: string, steps: number, env: Record<string, string> = {}): Run | string {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'tripletkit-ooc-run-'));
  try {
    const args = [cli, 'train', '--images', file, '--mining', 'semi-hard', '--p', '10', '--k', '12', '--workers', '2'];
    args.push('--epochs', '1', '--steps-per-epoch', String(steps), '-o', out, '--json');
    const r = spawnSync('/usr/bin/time', ['-f', 'RSS_KB=%M', process.execPath, ...args], {
      encoding: 'utf8',
      env: { ...process.env, ...env },
    });
    if (r.status !== 0) return `train failed: ${r.stderr.trim().split('\n').slice(-2).join(' ')}`;
    const result = JSON.parse(r.stdout) as { epochs: { imagesPerSecond: number }[] };
    return {
      rss: Number(/RSS_KB=(\d+)/.exec(r.stderr)?.[1]) * 1024,
      imagesPerSecond: result.epochs[0].imagesPerSecond,
      storage: /images [^\n]*?(held in memory|read from the file per batch)/.exec(r.stderr)?.[1] ?? '?',
    };
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}

const show = (r: Run | string) =>
  typeof r === 'string'
    ? r
    : `peak RSS ${(r.rss / MB).toFixed(0)} MB, ${r.imagesPerSecond.toFixed(0)} images/s (${r.storage})`;

/** Peak RSS of `tripletkit embed` on 1,024 rows (4 batches of 256) of each 96² file (--shard picks them: the whole file is opened). */
function embedBoth(): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tripletkit-ooc-embed-'));
  try {
    const model = path.join(dir, 'run');
    const t = ['train', '--images', images('t10k', 96), '--mining', 'semi-hard', '--p', '10', '--k', '4'];
    t.push('--workers', '1', '--epochs', '1', '--steps-per-epoch', '1', '-o', model, '-q');
    const r = spawnSync(process.execPath, [cli, ...t], { encoding: 'utf8' });
    if (r.status !== 0) {
      console.log(`embed: skipped (train failed: ${r.stderr.trim().split('\n').pop()})`);
      return;
    }
    const rss: number[] = [];
    for (const [file, shard] of [
      [images('t10k', 96), '0/10'],
      [images('train', 96), '0/58'],
    ]) {
      const args = [
        cli,
        'embed',
        '--model',
        model,
        '--images',
        file,
        '--shard',
        shard,
        '-o',
        path.join(dir, 'e.arrow'),
      ];
      const e = spawnSync('/usr/bin/time', ['-f', 'RSS_KB=%M', process.execPath, ...args, '-q'], { encoding: 'utf8' });
      if (e.status !== 0) {
        console.log(`embed failed: ${e.stderr.trim().split('\n').pop()}`);
        return;
      }
      rss.push(Number(/RSS_KB=(\d+)/.exec(e.stderr)?.[1]) * 1024);
    }
    const d = (rss[1] - rss[0]) / MB;
    console.log(
      `embed 1,024 rows at 96² RGB: 10k file ${(rss[0] / MB).toFixed(0)} MB, 60k file ${(rss[1] / MB).toFixed(0)} MB peak RSS, ` +
        `${d >= 0 ? '+' : ''}${d.toFixed(0)} MB — target ≤ +150 MB`,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<void> {
  console.log('\n== Out-of-core training: Fashion-MNIST, small-cnn, 2 workers × 120 images ==');
  if (!fs.existsSync(IDX) || !fs.existsSync('/usr/bin/time')) {
    console.log(`skipped: needs ${IDX} (apt-get install dataset-fashion-mnist) and /usr/bin/time`);
    return;
  }
  fs.mkdirSync(cache, { recursive: true });
  const steps = Number(process.env.OUT_OF_CORE_STEPS ?? 10);
  const small = train(images('t10k', 96), steps);
  const large = train(images('train', 96), steps);
  console.log(`96² RGB, 10k file (265 MB): ${show(small)}`);
  console.log(`96² RGB, 60k file (1.6 GB): ${show(large)}`);
  if (typeof small !== 'string' && typeof large !== 'string') {
    const d = (large.rss - small.rss) / MB;
    console.log(`  60k − 10k peak RSS: ${d >= 0 ? '+' : ''}${d.toFixed(0)} MB — target ≤ +150 MB`);
  }
  embedBoth();
  // 28²: alternate the two storages so that other load on the machine hits both alike.
  const f28 = images('train', 28);
  const mem: Run[] = [];
  const file: Run[] = [];
  for (let i = 0; i < 2; i++) {
    for (const [list, env] of [
      [mem, {}],
      [file, { TRIPLETKIT_IMAGES_IN_MEMORY: 'never' }],
    ] as const) {
      const r = train(f28, steps * 6, env);
      if (typeof r === 'string') console.log(`28²: ${r}`);
      else list.push(r);
    }
  }
  const best = (rs: Run[]) => Math.max(...rs.map((r) => r.imagesPerSecond));
  if (mem.length && file.length) {
    console.log(`28² gray, 60k in memory: ${mem.map(show).join('; ')}`);
    console.log(`28² gray, 60k read from the file: ${file.map(show).join('; ')}`);
    console.log(`  file / memory, best runs: ${(best(file) / best(mem)).toFixed(2)}× — target ≥ 0.90×`);
  }
  console.log('  memory side by side with PyTorch 1.13: bench/memoryVsPytorch.ts (`bench memory`)');
}
