// One timed tripletkit load in its own process, so its peak RSS is measured alone. Prints one JSON line.
// Usage: node --conditions=source --import tsx bench/loadChild.ts '<json: {source, options, out}>'
import { writeImages } from '../src/index.ts';

const { source, options, out } = JSON.parse(process.argv[2]);
const start = performance.now();
const s = await writeImages(out, source, options);
const seconds = (performance.now() - start) / 1000;
process.stdout.write(
  `${JSON.stringify({ rows: s.rows, skipped: s.skipped, seconds, maxRssMB: process.resourceUsage().maxRSS / 1024 })}\n`,
);
