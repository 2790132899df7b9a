// One timed tripletkit load in its own process, so its peak RSS is measured alone; runs the built package (dist/),
// as `pnpm exec tripletkit load` does (no TypeScript loader in the worker threads). Prints one JSON line.
// Usage: node bench/loadChild.mjs '<json: {source, options, out}>'
import { writeImages } from '../dist/index.js';

const { source, options, out } = JSON.parse(process.argv[2]);
const start = performance.now();
const cpu0 = process.cpuUsage();
const s = await writeImages(out, source, options);
const seconds = (performance.now() - start) / 1000;
const cpu = process.cpuUsage(cpu0); // all threads of the process: main and decoding workers
process.stdout.write(
  `${JSON.stringify({ rows: s.rows, skipped: s.skipped, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, maxRssMB: process.resourceUsage().maxRSS / 1024 })}\n`,
);
