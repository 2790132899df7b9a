// Distance-core benchmark: GFLOP/s of distanceTile (native and pure-TS kernels, 1 thread and 2 worker_threads as the
// miner uses them) next to numpy's sgemm on the same shapes, measured in the same run, with the ratios.
// Run alone: node --conditions=source --import tsx -e "import('./packages/miner/bench/distance.ts').then(m=>m.run())"
// GFLOP/s counts 2·N·N·D for both sides; ours also does the distance epilogue (norms, clamp, sqrt), numpy only A·Bᵀ.
import { spawnSync } from 'node:child_process';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { jsDistanceTile, KIND_EUCLIDEAN } from '../src/distances/jsKernel.ts';
import { distanceTile, kernelInfo, squaredNorms } from '../src/index.ts';

const N = 4096;
const TILE = 1024;
const DIMS = [64, 128, 256];
const REPEATS = 5;

interface Job {
  x: Float32Array;
  norms: Float32Array;
  dim: number;
  rowStart: number;
  rowEnd: number;
}

/** Every TILE×TILE tile of rows [rowStart, rowEnd) against all N rows — the shape of the miner's streaming loop. */
function sweep(job: Job, out: Float32Array): void {
  const { x, norms, dim, rowStart, rowEnd } = job;
  const n = norms.length;
  for (let i = rowStart; i < rowEnd; i += TILE) {
    const ih = Math.min(TILE, rowEnd - i);
    for (let j = 0; j < n; j += TILE) {
      const jw = Math.min(TILE, n - j);
      distanceTile(
        x.subarray(i * dim, (i + ih) * dim),
        ih,
        x.subarray(j * dim, (j + jw) * dim),
        jw,
        dim,
        'euclidean',
        out,
        norms.subarray(i, i + ih),
        norms.subarray(j, j + jw),
      );
    }
  }
}

function randomShared(rows: number, dim: number): Float32Array {
  const x = new Float32Array(new SharedArrayBuffer(rows * dim * 4));
  let s = 12345;
  for (let i = 0; i < x.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    x[i] = s / 4294967296 - 0.5;
  }
  return x;
}

function best(fn: () => void, repeats = REPEATS): number {
  fn(); // warm up (JIT, page faults, packing buffers)
  let t = Number.POSITIVE_INFINITY;
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    fn();
    t = Math.min(t, performance.now() - t0);
  }
  return t / 1000;
}

async function bestAsync(fn: () => Promise<void>, repeats = REPEATS): Promise<number> {
  await fn();
  let t = Number.POSITIVE_INFINITY;
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    await fn();
    t = Math.min(t, performance.now() - t0);
  }
  return t / 1000;
}

const gflops = (n: number, dim: number, seconds: number) => (2 * n * n * dim) / seconds / 1e9;

/** Two workers each sweep half of the anchor rows, as the miner's worker pool does. */
async function twoWorkers(x: Float32Array, norms: Float32Array, dim: number): Promise<number> {
  const half = Math.ceil(N / 2 / TILE) * TILE;
  const ranges = [
    [0, half],
    [half, N],
  ];
  const workers = ranges.map(([rowStart, rowEnd]) => spawnSelf({ x, norms, dim, rowStart, rowEnd }));
  const ask = () =>
    Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            w.once('message', () => resolve());
            w.once('error', reject);
            w.postMessage('go');
          }),
      ),
    ).then(() => undefined);
  try {
    return await bestAsync(ask);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/**
 * A worker running this very file. From source (tsx) a worker does not inherit tsx's loader hooks, so it first
 * registers them through tsx's API and then imports this file; from dist it is a plain module worker.
 */
function spawnSelf(job: Job): Worker {
  const self = import.meta.url;
  if (!self.endsWith('.ts')) return new Worker(new URL(self), { workerData: job });
  const api = import.meta.resolve('tsx/esm/api');
  const code = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(self)}); })`;
  return new Worker(code, { eval: true, workerData: job });
}

interface NumpyRates {
  threads1: Record<string, number>;
  threadsAll: Record<string, number>;
  version?: string;
}

function numpyRates(): NumpyRates | string {
  const code = `
import json, sys, time
import numpy as np
res = {}
for d in ${JSON.stringify(DIMS)}:
    a = np.random.rand(${N}, d).astype(np.float32) - 0.5
    bt = np.ascontiguousarray(a.T)
    a @ bt
    t = 1e9
    for _ in range(${REPEATS}):
        t0 = time.perf_counter(); a @ bt; t = min(t, time.perf_counter() - t0)
    res[str(d)] = 2 * ${N} * ${N} * d / t / 1e9
print(json.dumps({"rates": res, "version": np.__version__}))
`;
  const runPy = (env: NodeJS.ProcessEnv) => {
    const r = spawnSync('python3', ['-c', code], { encoding: 'utf8', env });
    if (r.status !== 0) return undefined;
    return JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}') as { rates: Record<string, number>; version: string };
  };
  const all = runPy(process.env);
  if (!all) return 'numpy not available (python3 -c "import numpy" failed); skipping the peer';
  const one = runPy({ ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' });
  if (!one) return 'numpy single-thread run failed; skipping the peer';
  return { threadsAll: all.rates, threads1: one.rates, version: all.version };
}

const fmt = (v: number | undefined) => (v === undefined ? '   —  ' : v.toFixed(1).padStart(6));
const ratio = (a: number, b: number | undefined) => (b === undefined ? '  — ' : `${(a / b).toFixed(2)}×`);

interface Rates {
  dim: number;
  one: number;
  two: number;
}

/** The active kernel's rates for every shape: one thread, and two workers splitting the anchor rows. */
export async function measureActive(): Promise<Rates[]> {
  const out = new Float32Array(TILE * TILE);
  const rates: Rates[] = [];
  for (const dim of DIMS) {
    const { x, norms } = data(dim);
    const one = gflops(
      N,
      dim,
      best(() => sweep({ x, norms, dim, rowStart: 0, rowEnd: N }, out)),
    );
    const two = gflops(N, dim, await twoWorkers(x, norms, dim));
    rates.push({ dim, one, two });
  }
  return rates;
}

function data(dim: number): { x: Float32Array; norms: Float32Array } {
  const x = randomShared(N, dim);
  const norms = new Float32Array(new SharedArrayBuffer(N * 4));
  norms.set(squaredNorms(x, dim));
  return { x, norms };
}

/** The pure-TS kernel, one thread, on a quarter of the anchors (it is ~40× slower; the rate is per flop). */
function measureJs(dim: number): number {
  const { x, norms } = data(dim);
  const out = new Float32Array(TILE * TILE);
  const rows = N / 4;
  const seconds = best(() => {
    for (let j = 0; j < N; j += TILE) {
      const b = x.subarray(j * dim, (j + TILE) * dim);
      jsDistanceTile(x, rows, b, TILE, dim, KIND_EUCLIDEAN, out, norms, norms.subarray(j, j + TILE));
    }
  }, 2);
  return (2 * rows * N * dim) / seconds / 1e9;
}

/** The AVX2 micro-kernel's rates, measured in a child process (the ISA is fixed once per process). */
function measureAvx2(): Rates[] | undefined {
  const code = `import(${JSON.stringify(import.meta.url)}).then((m) => m.measureActive()).then((r) => console.log(JSON.stringify(r)))`;
  const r = spawnSync(process.execPath, [...process.execArgv, '-e', code], {
    encoding: 'utf8',
    env: { ...process.env, TRIPLETKIT_ISA: 'avx2' },
  });
  if (r.status !== 0) return undefined;
  return JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '[]') as Rates[];
}

export async function run(): Promise<void> {
  const info = kernelInfo();
  console.log(
    `\n## Distance core: euclidean tiles ${TILE}×${TILE}, N=${N} (all N×N pairs), GFLOP/s = 2·N²·D / time, best of ${REPEATS}`,
  );
  console.log(`kernel: ${info.kernel}${info.fallbackReason ? ` (fallback: ${info.fallbackReason})` : ''}`);
  const numpy = numpyRates();
  if (typeof numpy === 'string') console.log(numpy);
  else console.log(`peer: numpy ${numpy.version} sgemm (A·Bᵀ only), OPENBLAS_NUM_THREADS=1 and default threads`);
  const ours = await measureActive();
  const avx2 = info.kernel === 'native-avx512' ? measureAvx2() : undefined;
  const head = ['D', `${info.kernel} 1T`, 'numpy 1T', 'ratio', `${info.kernel} 2 workers`, 'numpy 2T', 'ratio'];
  if (avx2) head.push('avx2 1T', 'ratio', 'avx2 2 workers', 'ratio');
  head.push('pure-TS 1T', 'ratio vs numpy 1T');
  console.log(`| ${head.join(' | ')} |`);
  console.log(`|${head.map(() => '---:').join('|')}|`);
  for (const [k, { dim, one, two }] of ours.entries()) {
    const np1 = typeof numpy === 'string' ? undefined : numpy.threads1[String(dim)];
    const np2 = typeof numpy === 'string' ? undefined : numpy.threadsAll[String(dim)];
    const cells = [String(dim), fmt(one), fmt(np1), ratio(one, np1), fmt(two), fmt(np2), ratio(two, np2)];
    if (avx2) cells.push(fmt(avx2[k].one), ratio(avx2[k].one, np1), fmt(avx2[k].two), ratio(avx2[k].two, np2));
    const js = measureJs(dim);
    cells.push(fmt(js), ratio(js, np1));
    console.log(`| ${cells.join(' | ')} |`);
  }
  console.log('target: ours (2 workers) ≥ 0.6× numpy (2 threads)');
}

// Worker side of twoWorkers(): sweep the assigned rows each time the main thread says go.
if (!isMainThread && parentPort && (workerData as Job | undefined)?.x) {
  const job = workerData as Job;
  const out = new Float32Array(TILE * TILE);
  parentPort.on('message', () => {
    sweep(job, out);
    parentPort?.postMessage('done');
  });
}
