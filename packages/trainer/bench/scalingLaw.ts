// The scaling law (issue 11): wall time and peak RSS (whole process tree) of `tripletkit mine` on N × 128 embeddings
// (N = 10k, 30k, 100k; N/100 classes; semi-hard capped by --max-per-anchor 10; 2 workers) and of `tripletkit train`
// (small-cnn, online semi-hard, 2 workers × 120 images, Fashion-MNIST 10k) at 28² gray, 64² RGB and 96² RGB, with the
// exponent fitted by least squares on log–log — so a user can predict a run. Run alone, on a quiet machine:
//   node --conditions=source --import tsx packages/trainer/bench/index.ts scaling
// SCALING_STEPS (default 10) sets the training steps per size. The CLI runs from dist/ (`pnpm build` first).
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
import { benchData } from '../../miner/bench/miningData.ts';
import { tripletkitTrain } from './memoryVsPytorch.ts';
import { images } from './outOfCore.ts';
import { runTree } from './treeRss.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const cli = path.resolve(here, '../../cli/bin/tripletkit.js');
const MB = 2 ** 20;

/** Least-squares slope of log y on log x: y ∝ x^slope. */
export function fitExponent(xs: number[], ys: number[]): number {
  const lx = xs.map(Math.log);
  const ly = ys.map(Math.log);
  const mx = lx.reduce((a, b) => a + b, 0) / lx.length;
  const my = ly.reduce((a, b) => a + b, 0) / ly.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < lx.length; i++) {
    num += (lx[i] - mx) * (ly[i] - my);
    den += (lx[i] - mx) ** 2;
  }
  return num / den;
}

async function mineOnce(n: number, dir: string): Promise<{ seconds: number; rss: number } | string> {
  const dim = 128;
  const { emb, labels } = benchData(n, dim, n / 100, 0.1);
  const file = path.join(dir, `emb-${n}.arrow`);
  const schema = schemaOf([field('embedding', float32ListType(dim)), field('label', int32Type())], {});
  await writeArrow(file, schema, [recordBatch(schema, [fixedSizeListData(emb, dim), int32Data(labels)])]);
  const args = [cli, 'mine', '-e', file, '-s', 'semi-hard', '--max-per-anchor', '10', '--workers', '2'];
  const t = performance.now();
  const r = await runTree(process.execPath, [...args, '-o', path.join(dir, `t-${n}.arrow`), '-q']);
  const seconds = (performance.now() - t) / 1000;
  if (r.status !== 0) return `mine failed: ${r.stderr.trim().split('\n').pop()}`;
  return { seconds, rss: r.peakRss };
}

const row = (label: string, values: string[], exponent: string) => `| ${label} | ${values.join(' | ')} | ${exponent} |`;

export async function run(): Promise<void> {
  console.log(`\n== Scaling law: mining N × 128 and training at s², ${os.availableParallelism()} cores ==`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tripletkit-scaling-'));
  try {
    const ns = [10_000, 30_000, 100_000];
    const mined = [];
    for (const n of ns) mined.push(await mineOnce(n, dir));
    console.log(
      '| mining, semi-hard --max-per-anchor 10, N × 128, N/100 classes, 2 workers | 10k | 30k | 100k | fit |',
    );
    console.log('|---|---|---|---|---|');
    if (mined.every((m) => typeof m !== 'string')) {
      const ok = mined as { seconds: number; rss: number }[];
      const t = ok.map((m) => m.seconds);
      const rss = ok.map((m) => m.rss);
      console.log(
        row(
          'wall time',
          t.map((s) => `${s.toFixed(1)} s`),
          `t ∝ N^${fitExponent(ns, t).toFixed(2)}`,
        ),
      );
      console.log(
        row(
          'peak RSS',
          rss.map((b) => `${(b / MB).toFixed(0)} MB`),
          `RSS ∝ N^${fitExponent(ns, rss).toFixed(2)}`,
        ),
      );
    } else console.log(mined.filter((m) => typeof m === 'string').join('\n'));

    const steps = Number(process.env.SCALING_STEPS ?? 10);
    const sizes = [28, 64, 96];
    const trained = [];
    for (const s of sizes) trained.push(await tripletkitTrain(images('t10k', s), steps));
    console.log(
      `\n| training small-cnn, 2 workers × 120, ${steps} steps, Fashion-MNIST 10k | 28² gray | 64² RGB | 96² RGB | fit in the side s |`,
    );
    console.log('|---|---|---|---|---|');
    if (trained.every((m) => typeof m !== 'string')) {
      const ok = trained as { peakRss: number; imagesPerSecond: number }[];
      const per = ok.map((m) => 1000 / m.imagesPerSecond);
      const rss = ok.map((m) => m.peakRss);
      const perText = per.map((ms, i) => `${ms.toFixed(1)} ms (${ok[i].imagesPerSecond.toFixed(0)}/s)`);
      console.log(row('time per image', perText, `∝ s^${fitExponent(sizes, per).toFixed(2)}`));
      console.log(
        row(
          'peak RSS',
          rss.map((b) => `${(b / MB).toFixed(0)} MB`),
          `∝ s^${fitExponent(sizes, rss).toFixed(2)}`,
        ),
      );
    } else console.log(trained.filter((m) => typeof m === 'string').join('\n'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
