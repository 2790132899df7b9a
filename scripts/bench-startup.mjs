#!/usr/bin/env node
// Whole-process start-up of the built CLI (packages/cli/bin/tripletkit.js, which runs the bundle), median of N runs:
//   --help / --version (targets < 150 ms), and `load` / `mine` up to the point where they start working — measured as
//   a run on a missing input, which fails right after the command's imports and first file access (target < 300 ms).
// `node -e 0` is measured in the same run, interleaved with the others (one run of each case per round), so a busy
// machine raises the baseline as much as the figures. The targets were set on an idle machine where `node -e 0` takes
// 110 ms; under load each median is also shown scaled by 110 ms / this run's baseline ("at idle"), the verdict uses
// that, and the CPU time (user + system, all threads, from /usr/bin/time where present) is shown beside the wall time
// since it barely grows with load. Usage: node scripts/bench-startup.mjs [runs=7] [bin=packages/cli/bin/tripletkit.js]
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.argv[2] ?? 7);
const bin = path.resolve(process.argv[3] ?? path.join(repo, 'packages', 'cli', 'bin', 'tripletkit.js'));
/** `node -e 0` on the idle machine the targets were set on. */
const IDLE_BASELINE = 110;
// Each case also says what its output must show: the help and version print, and load/mine reach their input (the
// error names the missing path) — a CLI that is not built, or fails earlier, would otherwise time a quick error.
const cases = [
  ['node -e 0 (baseline)', ['-e', '0'], undefined, undefined],
  ['tripletkit --help', [bin, '--help'], 150, /tripletkit <command>|Commands:/],
  ['tripletkit --version', [bin, '--version'], 150, /^\d+\.\d+\.\d+/],
  [
    'tripletkit load (until work starts)',
    [bin, 'load', '/nonexistent-folder', '-o', '/tmp/x.arrow'],
    300,
    /nonexistent-folder/,
  ],
  [
    'tripletkit mine (until work starts)',
    [bin, 'mine', '-e', '/nonexistent.arrow', '-s', 'all', '-o', '/tmp/x'],
    300,
    /nonexistent\.arrow/,
  ],
];
for (const [name, args, , shows] of cases) {
  if (!shows) continue;
  const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
  if (!shows.test(`${r.stdout}${r.stderr}`)) {
    console.error(
      `bench-startup: "${name}" did not run as expected (${`${r.stdout}${r.stderr}`.trim().split('\n')[0]})`,
    );
    process.exit(1);
  }
}
const TIME = '/usr/bin/time';
const cpuFile = path.join(os.tmpdir(), `bench-startup-${process.pid}.txt`);
const times = cases.map(() => []);
const cpu = cases.map(() => []);
for (let i = 0; i < runs; i++) {
  cases.forEach(([, args], c) => {
    const t0 = performance.now();
    spawnSync(process.execPath, args, { stdio: 'ignore' });
    times[c].push(performance.now() - t0);
    if (!existsSync(TIME)) return;
    // A second run under time(1) for the CPU time, so that the wall time above has nothing around it.
    spawnSync(TIME, ['-f', '%U %S', '-o', cpuFile, process.execPath, ...args], { stdio: 'ignore' });
    const [user, sys] = readFileSync(cpuFile, 'utf8').trim().split('\n').at(-1).split(' ').map(Number);
    cpu[c].push((user + sys) * 1000);
  });
}
rmSync(cpuFile, { force: true });
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const baseline = median(times[0]);
const scale = IDLE_BASELINE / baseline;
const ms = (x, w = 8) => (x === undefined ? '' : `${x.toFixed(0)} ms`).padStart(w);
let failed = false;
console.log(
  `${runs} runs each, interleaved; bin ${path.relative(process.cwd(), bin) || bin}; load average ${os.loadavg()[0].toFixed(1)} on ${os.availableParallelism()} cores`,
);
console.log(
  `${'case'.padEnd(36)} ${'wall'.padStart(8)} ${'min'.padStart(8)} ${'over base'.padStart(9)} ${'at idle'.padStart(8)} ${'cpu'.padStart(8)} ${'over base'.padStart(9)}  target (idle)`,
);
cases.forEach(([label, , target], c) => {
  const m = median(times[c]);
  const cpuM = cpu[c].length ? median(cpu[c]) : undefined;
  const idle = m * scale;
  let verdict = '';
  if (target !== undefined) {
    const met = idle < target;
    if (!met) failed = true;
    verdict = `< ${target} ms: ${met ? 'met' : 'MISSED'}`;
  } else verdict = `${IDLE_BASELINE} ms on the idle machine`;
  const base = (x, b) => (target === undefined || x === undefined ? undefined : x - b);
  console.log(
    `${label.padEnd(36)} ${ms(m)} ${ms(Math.min(...times[c]))} ${ms(base(m, baseline), 9)} ${ms(idle)} ${ms(cpuM)} ${ms(base(cpuM, cpu[0].length ? median(cpu[0]) : 0), 9)}  ${verdict}`,
  );
});
process.exitCode = failed ? 1 : 0;
