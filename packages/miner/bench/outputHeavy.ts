// Output-heavy mining (issue 11): every semi-hard triplet of 768 near-random 64-D embeddings (~22M triplets, what an
// untrained model gives), against PyTorch Metric Learning's TripletMarginMiner in the same run. Measured:
// Wall time on a shared machine depends on what else runs; the in-process lines also give CPU time (user + system).
// - in-process, streamed: every triplet expanded into a reused chunk (what `tripletkit mine` feeds its writer);
// - in-process, mine(): the whole result as arrays (first-touch memory cost of this machine shown next to it, with
//   and without the huge pages mine() asks for);
// - the whole `tripletkit mine` process (start-up, reading, mining, writing the 446 MB file), wall time and peak RSS;
// - PML in-process: miner(embeddings, labels) only (imports and loading excluded), peak RSS of its process.
// The CLI runs from dist/: `pnpm install` (or `pnpm build`) first. Run alone:
// node --conditions=source --import tsx -e "import('./packages/miner/bench/outputHeavy.ts').then(m=>m.run())"
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  field,
  fixedSizeListData,
  float32ListType,
  int32Data,
  int32Type,
  recordBatch,
  schemaOf,
  writeArrow,
} from '@tripletkit/common';
import { benchData } from './miningData.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const cli = path.resolve(here, '../../cli/bin/tripletkit.js');
const MB = 1024 * 1024;
const CASE = { n: 768, dim: 64, classes: 8, sigma: 1, repeats: 3 };

function json<T>(cmd: string, args: string[]): T | string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 16 * MB });
  if (r.status !== 0)
    return `${cmd} failed: ${(r.stderr || r.error?.message || '').trim().split('\n').slice(-3).join(' ')}`;
  return JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as T;
}

/** One `tripletkit mine` run under /usr/bin/time: wall seconds and peak RSS. */
function cliRun(emb: string, out: string): { wall: number; rss: number; triplets: number } | string {
  const args = [cli, 'mine', '--embeddings', emb, '--strategy', 'semi-hard', '-o', out, '--json'];
  const timed = fs.existsSync('/usr/bin/time');
  const t0 = performance.now();
  const r = timed
    ? spawnSync('/usr/bin/time', ['-f', 'RSS_KB=%M', process.execPath, ...args], { encoding: 'utf8' })
    : spawnSync(process.execPath, args, { encoding: 'utf8' });
  const wall = (performance.now() - t0) / 1000;
  if (r.status !== 0) return `tripletkit mine failed: ${r.stderr.trim().split('\n').slice(-2).join(' ')}`;
  const rss = Number(/RSS_KB=(\d+)/.exec(r.stderr)?.[1] ?? Number.NaN) * 1024;
  return { wall, rss, triplets: (JSON.parse(r.stdout) as { triplets: number }).triplets };
}

const fmt = (s: number) => (s < 1 ? `${(s * 1000).toFixed(0)} ms` : `${s.toFixed(2)} s`);
const best = (t: number[]) => Math.min(...t);
const rate = (n: number, s: number) => `${(n / s / 1e6).toFixed(1)}M triplets/s`;

export async function run(): Promise<void> {
  console.log(
    `\n== Output-heavy mining: all semi-hard, ${CASE.n}×${CASE.dim} near-random, ${os.availableParallelism()} cores ==`,
  );
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tripletkit-heavy-'));
  try {
    const { emb, labels } = benchData(CASE.n, CASE.dim, CASE.classes, CASE.sigma);
    const bin = path.join(tmp, 'data.bin');
    fs.writeFileSync(bin, Buffer.concat([Buffer.from(emb.buffer), Buffer.from(labels.buffer)]));
    const embFile = path.join(tmp, 'emb.arrow');
    const schema = schemaOf([field('embedding', float32ListType(CASE.dim)), field('label', int32Type())], {});
    await writeArrow(embFile, schema, [recordBatch(schema, [fixedSizeListData(emb, CASE.dim), int32Data(labels)])]);

    const child = path.join(here, 'outputHeavyChild.ts');
    const node = (mode: string) =>
      json<{ times: number[]; cpu: number[]; triplets: number; peakRss: number; touch: number; touchPlain: number }>(
        process.execPath,
        ['--conditions=source', '--expose-gc', '--import', 'tsx', child, JSON.stringify(CASE), mode],
      );
    const s = node('stream');
    const m = node('mine');
    // Each run's output is deleted before the next: a machine that keeps writing such files reuses that memory for
    // the page cache (on this VM, memory touched for the first time costs ~10× more than memory just freed).
    const runs = [1, 2, 3].map(() => {
      const out = path.join(tmp, 'mined.arrow');
      fs.rmSync(out, { force: true });
      return cliRun(embFile, out);
    });
    const wheel = fs.existsSync('/opt/pypi/files')
      ? fs.readdirSync('/opt/pypi/files').find((f) => /^pytorch_metric_learning-.*\.whl$/.test(f))
      : undefined;
    const pml = wheel
      ? json<{ times: number[]; triplets: number; peakRss: number; torch: string }>('/usr/bin/python3', [
          path.join(here, 'pmlMiner.py'),
          path.join('/opt/pypi/files', wheel),
          bin,
          String(CASE.n),
          String(CASE.dim),
          '0.2',
          'semihard',
          '2',
        ])
      : 'no pytorch_metric_learning wheel in /opt/pypi/files';

    if (typeof s === 'string') console.log(`in-process, streamed: ${s}`);
    else {
      console.log(
        `in-process, streamed into a reused chunk: ${s.triplets.toLocaleString('en')} triplets, ${fmt(best(s.times))} best of ${s.times.length} → ${rate(s.triplets, best(s.times))} (CPU time ${fmt(best(s.cpu))} → ${rate(s.triplets, best(s.cpu))}), peak RSS ${(s.peakRss / MB).toFixed(0)} MB — target ≥ 40M triplets/s`,
      );
    }
    if (typeof m === 'string') console.log(`in-process, mine(): ${m}`);
    else {
      console.log(
        `in-process, mine() returning arrays: ${m.times.map(fmt).join(', ')} → best ${rate(m.triplets, best(m.times))} (CPU time ${fmt(best(m.cpu))} → ${rate(m.triplets, best(m.cpu))}), peak RSS ${(m.peakRss / MB).toFixed(0)} MB (first touch of ${((m.triplets * 20) / MB).toFixed(0)} MB of fresh arrays alone on this machine: ${fmt(m.touch)} as mine() allocates them, ${fmt(m.touchPlain)} on ordinary 4 KiB pages) — target ≥ 40M triplets/s`,
      );
    }
    const ok = runs.filter((r): r is Exclude<typeof r, string> => typeof r !== 'string');
    for (const r of runs) if (typeof r === 'string') console.log(`whole process: ${r}`);
    const cliBest = ok.length ? Math.min(...ok.map((r) => r.wall)) : Number.NaN;
    if (ok.length) {
      console.log(
        `whole \`tripletkit mine\` process (start-up, read, mine, write ${((ok[0].triplets * 20) / MB).toFixed(0)} MB): ${ok.map((r) => fmt(r.wall)).join(', ')} (best ${fmt(cliBest)}, ${rate(ok[0].triplets, cliBest)}), peak RSS ${ok.map((r) => `${(r.rss / MB).toFixed(0)} MB`).join(', ')} — target < 1 GB`,
      );
    }
    if (typeof pml === 'string') console.log(`  peer PML TripletMarginMiner: skipped (${pml.slice(0, 200)})`);
    else {
      const same = ok.length && pml.triplets === ok[0].triplets ? 'same count' : `count ${pml.triplets}`;
      console.log(
        `  peer PML TripletMarginMiner in-process (torch ${pml.torch}, 2 threads): ${pml.times.map(fmt).join(', ')}, peak RSS ${(pml.peakRss / MB).toFixed(0)} MB, ${same} → whole tripletkit process ${(best(pml.times) / cliBest).toFixed(1)}× faster (target ≥ 10×)`,
      );
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
