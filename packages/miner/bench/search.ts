// Search benchmark (tripletkit search's core): exact k-NN of 1,000 queries against galleries of 100k and 1M rows
// (D = 64), and the distance to every class (1,000 classes), next to numpy brute force (sgemm + argpartition) on the
// same data in the same run. Queries/s exclude loading and embedding images.
// Run alone: node --conditions=source --import tsx -e "import('./packages/miner/bench/search.ts').then(m=>m.run())"
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { classDistances, l2Normalize, nearestNeighbors } from '../src/index.ts';

const D = 64;
const Q = 1000;
const K = 5;

function random(rows: number, seed: number): Float32Array {
  const x = new Float32Array(rows * D);
  let s = seed;
  for (let i = 0; i < x.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    x[i] = s / 4294967296 - 0.5;
  }
  return l2Normalize(x, D);
}

const PEER = `
import sys, time, numpy as np
g = np.fromfile(sys.argv[1], dtype=np.float32).reshape(-1, ${D}); q = np.fromfile(sys.argv[2], dtype=np.float32).reshape(-1, ${D})
gn = (g * g).sum(1)
best = 1e9
for _ in range(3):
    t = time.perf_counter()
    for s in range(0, len(q), 250):
        d = gn[None, :] - 2 * q[s:s+250] @ g.T
        idx = np.argpartition(d, ${K}, axis=1)[:, :${K}]
    best = min(best, time.perf_counter() - t)
print(len(q) / best)
`;

export async function run(): Promise<void> {
  const queries = random(Q, 7);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tripletkit-bench-search-'));
  try {
    for (const rows of [100_000, 1_000_000]) {
      const gallery = random(rows, 11);
      const labels = Int32Array.from({ length: rows }, (_, i) => i % 1000);
      const t0 = performance.now();
      nearestNeighbors(queries, D, K, { reference: gallery });
      const t1 = performance.now();
      classDistances(queries, gallery, D, labels);
      const t2 = performance.now();
      fs.writeFileSync(path.join(dir, 'g.bin'), gallery);
      fs.writeFileSync(path.join(dir, 'q.bin'), queries);
      const peer = spawnSync('python3', ['-c', PEER, path.join(dir, 'g.bin'), path.join(dir, 'q.bin')], {
        encoding: 'utf8',
      });
      const peerQps = peer.status === 0 ? Number(peer.stdout.trim()) : Number.NaN;
      const qps = Q / ((t1 - t0) / 1000);
      console.log(
        `search ${rows.toLocaleString('en-US')}×${D}: k=${K} ${Math.round(qps)} queries/s (numpy brute force ${Math.round(peerQps)}, ratio ${(qps / peerQps).toFixed(2)}×); distance to 1,000 classes ${Math.round(Q / ((t2 - t1) / 1000))} queries/s`,
      );
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
