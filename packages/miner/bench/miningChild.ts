/**
 * One mining benchmark case in its own process, so its peak RSS (process.resourceUsage().maxRSS, worker threads
 * included) is the miner's alone. Prints one JSON line. Usage: miningChild.ts '<json case>' [dataFile]
 * With a data file (raw float32 rows then int32 labels), also writes the data there for the Python peer.
 */
import fs from 'node:fs';
import { mine, mineStream } from '../src/index.ts';
import { benchData } from './miningData.ts';

interface Case {
  n: number;
  dim: number;
  classes: number;
  sigma: number;
  strategy: 'semi-hard';
  maxPerAnchor?: number;
  repeats: number;
  stream: boolean;
}

const c = JSON.parse(process.argv[2]) as Case;
const { emb, labels } = benchData(c.n, c.dim, c.classes, c.sigma);
if (process.argv[3]) {
  fs.writeFileSync(process.argv[3], Buffer.concat([Buffer.from(emb.buffer), Buffer.from(labels.buffer)]));
}
const baseRss = process.resourceUsage().maxRSS * 1024;
const times: number[] = [];
const cpu: number[] = [];
let triplets = 0;
for (let r = 0; r < c.repeats; r++) {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  if (c.stream) {
    // Large outputs are consumed batch by batch (as `tripletkit mine` writes them), never held whole.
    triplets = 0;
    for await (const part of mineStream(emb, c.dim, labels, { strategy: c.strategy, maxPerAnchor: c.maxPerAnchor })) {
      triplets += part.anchors.length;
    }
  } else {
    triplets = mine(emb, c.dim, labels, { strategy: c.strategy, maxPerAnchor: c.maxPerAnchor }).anchors.length;
  }
  times.push((performance.now() - t0) / 1000);
  const used = process.cpuUsage(c0);
  cpu.push((used.user + used.system) / 1e6);
}
const peakRss = process.resourceUsage().maxRSS * 1024;
process.stdout.write(`${JSON.stringify({ times, cpu, triplets, peakRss, baseRss })}\n`);
