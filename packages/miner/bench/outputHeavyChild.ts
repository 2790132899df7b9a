/**
 * The in-process side of the output-heavy benchmark (bench/outputHeavy.ts), in its own process so that its peak RSS is
 * its own. Usage: outputHeavyChild.ts '<json case>' mode, mode `stream` (every triplet expanded into a reused chunk,
 * what `tripletkit mine` does before writing) or `mine` (mine() returning the arrays). Prints one JSON line.
 */
import { allocTriplets } from '../src/core/pendingBlock.ts';
import { mine, minePending } from '../src/index.ts';
import { benchData } from './miningData.ts';

const c = JSON.parse(process.argv[2]) as { n: number; dim: number; classes: number; sigma: number; repeats: number };
const mode = process.argv[3];
const { emb, labels } = benchData(c.n, c.dim, c.classes, c.sigma);
const options = { strategy: 'semi-hard' as const, workers: 0 };
const times: number[] = [];
// CPU seconds (user + system) per run: what the run costs when the machine is shared, where wall time is not.
const cpu: number[] = [];
let triplets = 0;
let touch = 0;
const chunk = allocTriplets(1 << 18);
for (let r = 0; r < c.repeats; r++) {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  if (mode === 'stream') {
    triplets = 0;
    for await (const block of minePending(emb, c.dim, labels, options)) {
      while (block.remaining > 0) triplets += block.expand(chunk, 0, chunk.anchors.length);
    }
  } else {
    triplets = mine(emb, c.dim, labels, options).anchors.length;
  }
  times.push((performance.now() - t0) / 1000);
  const used = process.cpuUsage(c0);
  cpu.push((used.user + used.system) / 1e6);
  // Free the last result now (as a training loop's next batch would find it freed), not at some later GC.
  (globalThis as { gc?: () => void }).gc?.();
}
let touchPlain = 0;
if (mode === 'mine') {
  // What this machine charges for the memory mine() returns, touched once (after the last result was freed): as
  // mine() allocates it (huge pages where available, see src/core/freshColumns.ts) and as plain arrays.
  let t0 = performance.now();
  let fresh: object = allocTriplets(triplets);
  for (const col of Object.values(fresh) as Int32Array[]) col.fill(1);
  touch = (performance.now() - t0) / 1000;
  fresh = {};
  (globalThis as { gc?: () => void }).gc?.();
  t0 = performance.now();
  const plain = [0, 1, 2, 3, 4].map(() => new Int32Array(triplets));
  for (const col of plain) col.fill(1);
  touchPlain = (performance.now() - t0) / 1000;
}
const peakRss = process.resourceUsage().maxRSS * 1024;
process.stdout.write(`${JSON.stringify({ times, cpu, triplets, peakRss, touch, touchPlain })}\n`);
