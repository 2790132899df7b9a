/**
 * Loader throughput, side by side with torchvision in one run:
 * - photos: ~500×375 JPEGs → 224×224 RGB (fit cover = torchvision Resize(224) + CenterCrop(224)),
 * - tiny: Fashion-MNIST's 10k test images as 28×28 PNGs → 64×64 gray (Resize(64) + CenterCrop(64) + Grayscale),
 * tripletkit = the real writeImages → Arrow file (all cores; the built package, rebuilt first), torchvision = ImageFolder + DataLoader(num_workers=2,
 * batch_size=64) iterating every image. Then a memory check: 100k tiny images (the 10k PNGs listed 10× in a
 * manifest) → peak RSS. Env: TRIPLETKIT_BENCH_PHOTOS (default 3000), TRIPLETKIT_BENCH_REPEAT (default 3, best of).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makePhotoSet, makeTinySet } from './datasets.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..', '..', '..');
const cacheDir = path.join(repoRoot, '.bench', 'loader');
const PYTHON = '/usr/bin/python3';

interface Ours {
  rows: number;
  skipped: number;
  seconds: number;
  cpuSeconds: number;
  maxRssMB: number;
}

interface Peer {
  images: number;
  images_per_second: number;
  cpu_seconds: number;
}

function ours(source: unknown, options: Record<string, unknown>, out: string): Ours {
  const r = spawnSync(process.execPath, [path.join(here, 'loadChild.mjs'), JSON.stringify({ source, options, out })], {
    encoding: 'utf8',
    cwd: path.resolve(here, '..'),
    maxBuffer: 1 << 24,
  });
  if (r.status !== 0) throw new Error(`tripletkit load failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Ours;
}

function torchvisionAvailable(): string | undefined {
  if (!existsSync(PYTHON)) return `${PYTHON} not found`;
  const r = spawnSync(PYTHON, ['-c', 'import torch, torchvision; print(torchvision.__version__)'], {
    encoding: 'utf8',
  });
  return r.status === 0 ? undefined : 'PyTorch/torchvision not importable by /usr/bin/python3';
}

function torchvision(dir: string, size: number, channels: number): Peer {
  const out = execFileSync(PYTHON, [path.join(here, 'torchvision_peer.py'), dir, String(size), String(channels)], {
    encoding: 'utf8',
  });
  return JSON.parse(out.trim().split('\n').pop()!) as Peer;
}

/** Reads every file once so neither contender pays for a cold page cache. */
async function warm(dir: string): Promise<void> {
  for (const f of await fs.readdir(dir, { recursive: true })) {
    const p = path.join(dir, String(f));
    if (/\.(png|jpg)$/.test(p)) readFileSync(p);
  }
}

const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));

export async function run(): Promise<void> {
  const photosCount = Number(process.env.TRIPLETKIT_BENCH_PHOTOS ?? 3000);
  // Measure the built package, as users run it (`pnpm exec tripletkit load` uses dist/): compile it first.
  execFileSync('pnpm', ['run', 'build'], { cwd: path.resolve(here, '..'), stdio: 'ignore' });
  const repeat = Math.max(1, Number(process.env.TRIPLETKIT_BENCH_REPEAT ?? 3));
  console.log(`\nloader throughput (${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(1)} at start)`);
  const photos = await makePhotoSet(path.join(cacheDir, 'photos'), photosCount);
  const tiny = await makeTinySet(path.join(cacheDir, 'tiny'));
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'tk-bench-loader-'));
  const peerMissing = torchvisionAvailable();
  if (peerMissing) console.log(`torchvision peer skipped: ${peerMissing}`);

  const sets = [
    { name: `photos ${photosCount}× ~500×375 JPEG → 224×224 RGB`, dir: photos, size: 224, channels: 3 },
    { name: `tiny 10k× 28×28 PNG (${tiny.source}) → 64×64 gray`, dir: tiny.dir, size: 64, channels: 1 },
  ];
  const rows: string[][] = [
    [
      'set',
      'tripletkit img/s',
      'torchvision img/s',
      'ratio',
      'CPU ms/img ours',
      'CPU ms/img torchvision',
      'CPU ratio',
      'peak RSS',
    ],
  ];
  for (const set of sets) {
    await warm(set.dir);
    let best: Ours | undefined;
    let peer: Peer | undefined;
    for (let i = 0; i < repeat; i++) {
      // Alternate the contenders so background load hits both alike; keep each one's best run.
      if (!peerMissing) {
        const p = torchvision(set.dir, set.size, set.channels);
        if (!peer || p.images_per_second > peer.images_per_second) peer = p;
      }
      const r = ours({ folder: set.dir }, { size: set.size, channels: set.channels }, path.join(work, 'out.arrow'));
      if (!best || r.seconds < best.seconds) best = r;
    }
    const mine = best!.rows / best!.seconds;
    const myCpu = (best!.cpuSeconds / best!.rows) * 1000;
    const peerCpu = peer ? (peer.cpu_seconds / peer.images) * 1000 : 0;
    rows.push([
      set.name,
      fmt(mine),
      peer ? fmt(peer.images_per_second) : 'skipped',
      peer ? `${(mine / peer.images_per_second).toFixed(2)}×` : '-',
      myCpu.toFixed(3),
      peer ? peerCpu.toFixed(3) : '-',
      peer ? `${(peerCpu / myCpu).toFixed(2)}×` : '-',
      `${best!.maxRssMB.toFixed(0)} MB`,
    ]);
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  for (const r of rows) console.log(r.map((cell, c) => cell.padEnd(widths[c])).join('  '));
  console.log(
    `(ratio = images/s ours ÷ torchvision, wall clock, best of ${repeat}; CPU ratio = torchvision CPU time per image ÷ ours, ` +
      'all threads and worker processes: what the ratio becomes when both own the cores. Load average now ' +
      `${os.loadavg()[0].toFixed(1)}.)`,
  );

  // Memory check: 100k small images through a manifest (the 10k PNGs listed 10 times).
  const manifest = path.join(work, 'tiny100k.csv');
  const lines = ['path,label'];
  for (let k = 0; k < 10; k++) for (const f of tiny.files) lines.push(`${path.join(tiny.dir, f)},${f.split('/')[0]}`);
  await fs.writeFile(manifest, `${lines.join('\n')}\n`);
  const big = ours({ manifest }, { size: 64, channels: 1 }, path.join(work, 'tiny100k.arrow'));
  console.log(
    `memory check: ${big.rows} images (28×28 PNG → 64×64 gray) in ${big.seconds.toFixed(1)} s ` +
      `(${fmt(big.rows / big.seconds)} img/s), peak RSS ${big.maxRssMB.toFixed(0)} MB (target < 500 MB)`,
  );
  await fs.rm(work, { recursive: true, force: true });
}
