#!/usr/bin/env node
// Whole-process start-up of the built CLI (packages/cli/bin/tripletkit.js), median of N runs each:
//   --help / --version (targets < 150 ms), and `load` / `mine` up to the point where they start working — measured as
//   a run on a missing input, which fails right after the command's imports and first file access (target < 300 ms).
// `node -e 0` is measured in the same run, so a busy machine shows up as a high baseline rather than a false alarm.
// Usage: node scripts/bench-startup.mjs [runs=7]
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(repo, 'packages', 'cli', 'bin', 'tripletkit.js');
const runs = Number(process.argv[2] ?? 7);
const cases = [
  ['node -e 0 (baseline)', ['-e', '0'], undefined],
  ['tripletkit --help', [bin, '--help'], 150],
  ['tripletkit --version', [bin, '--version'], 150],
  ['tripletkit load (until work starts)', [bin, 'load', '/nonexistent-folder', '-o', '/tmp/x.arrow'], 300],
  ['tripletkit mine (until work starts)', [bin, 'mine', '-e', '/nonexistent.arrow', '-s', 'all', '-o', '/tmp/x'], 300],
];
let failed = false;
let baseline = 0;
for (const [label, args, target] of cases) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    spawnSync(process.execPath, args, { stdio: 'ignore' });
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  if (target === undefined) baseline = median;
  const verdict =
    target === undefined ? '' : median < target ? ` (target < ${target} ms: met)` : ` (target < ${target} ms: MISSED)`;
  if (target !== undefined && median >= target) failed = true;
  const over = target === undefined ? '' : `, ${(median - baseline).toFixed(0)} ms over node -e 0`;
  console.log(
    `${label.padEnd(38)} median ${median.toFixed(0).padStart(5)} ms, min ${times[0].toFixed(0)} ms${over}${verdict}`,
  );
}
process.exitCode = failed ? 1 : 0;
