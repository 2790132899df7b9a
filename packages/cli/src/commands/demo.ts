import type { DemoOptions, DemoResult } from '@tripletkit/demo';
import { demoOptionSpecs } from '@tripletkit/demo/options';
import { defineCommand, longCall } from '../command.ts';
import { type ArgsOf, flags, optionsFrom } from '../flags.ts';
import { comparisonTable } from '../tables/metricsTable.ts';

// Imported when the command runs, so that `--help` and the other commands do not pay for it.
const runDemo: typeof import('@tripletkit/demo').runDemo = async (o) => (await import('@tripletkit/demo')).runDemo(o);

const pctCi = (m: { mean: number; ci95: number }) => `${(100 * m.mean).toFixed(1)}% ± ${(100 * m.ci95).toFixed(1)}`;

type DemoArgs = ArgsOf<typeof demoOptionSpecs>;

/** `tripletkit demo`: MNIST digits → loader → online semi-hard training → held-out retrieval → report. */
export const demoCommand = defineCommand<DemoArgs, DemoResult>({
  command: 'demo',
  describe: 'Train on the MNIST digits shipped with the install and write a report (offline, a few minutes)',
  options: flags(demoOptionSpecs, ['out', 'quick', 'epochs', 'seed', 'backend'], { out: { alias: 'o' } }),
  examples: [
    ['tripletkit demo', 'full run on 10 000 digits; the report is tripletkit-demo/report/report.html'],
    ['tripletkit demo --quick -o /tmp/demo', 'the reduced run CI executes'],
  ],
  handlesInterrupt: true,
  run: (args, ctx) => runDemo({ ...optionsFrom<DemoOptions>(demoOptionSpecs, args), ...longCall(ctx) }),
  summarize: (r) => [
    '',
    `Held-out retrieval on ${r.testImages} digits (${r.trainImages} trained on, ${r.epochs} epochs, ${r.backend}):`,
    ...comparisonTable(r.trained, 'trained', r.rawPixels, 'raw pixels').map((l) => `  ${l}`),
    '',
    'Digits it never saw (trained on 0–4, evaluated on 5–9; mean ± 95% CI):',
    `  5-way 1-shot  trained ${pctCi(r.unseen.trained.oneShot)}  raw pixels ${pctCi(r.unseen.rawPixels.oneShot)}`,
    `  MAP@R         trained ${(100 * r.unseen.trained.mapAtR).toFixed(1)}%  raw pixels ${(100 * r.unseen.rawPixels.mapAtR).toFixed(1)}%`,
    '',
    `Time: ${r.seconds.total.toFixed(0)} s (training ${r.seconds.train.toFixed(0)} s)`,
    `Report: ${r.report}`,
  ],
});
