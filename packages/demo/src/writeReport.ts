/**
 * Turns the measured results of a demo run into the report folder: PNG plots, retrieval grids, report.html and
 * metrics.json. Every figure referenced by the HTML is written first; the HTML is checked against the folder.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { TripletkitError, writeAtomic } from '@tripletkit/common';
import type { RetrievalMetrics } from '@tripletkit/miner';
import { histogram } from './histogram.ts';
import { lineChart } from './lineChart.ts';
import { svgToPng } from './renderPng.ts';
import { type ReportFigure, referencedFiles, reportHtml } from './reportHtml.ts';
import { type GridRow, retrievalGrid } from './retrievalGrid.ts';
import { esc, PALETTE } from './svg.ts';
import type { UnseenDigits } from './unseenDigits.ts';

/** Per-epoch training curves. */
export interface EpochPoint {
  epoch: number;
  loss: number;
  /** Fraction of mined triplets with a non-zero loss. */
  activeFraction: number;
  /** Mined triplets per batch as a fraction of the batch's valid triplets (null when unknown). */
  minedFraction: number | null;
}

/** d_ap / d_an of the triplets mined offline with one model. */
export interface MinedDistances {
  /** What embedded the images, e.g. "untrained small-cnn". */
  model: string;
  dAp: Float32Array;
  dAn: Float32Array;
  /** Triplets the strategy selected. */
  total: number;
}

/** Distances of all same-class and different-class pairs of a set of images, with one model. */
export interface PairDistances {
  model: string;
  same: Float32Array;
  different: Float32Array;
}

/** Everything a report shows. */
export interface DemoReportData {
  title: string;
  intro: string;
  command: string;
  classNames: string[];
  trained: RetrievalMetrics;
  baseline: RetrievalMetrics;
  trainedName: string;
  baselineName: string;
  epochs: EpochPoint[];
  mining: { strategy: string; margin: number; distance: string; before: MinedDistances; after: MinedDistances };
  pairs: { before: PairDistances; after: PairDistances };
  grids: { trained: GridRow[]; baseline: GridRow[] };
  facts: [string, string][];
  /** "Digits it never saw": trained on some classes, evaluated on the others. */
  unseen?: UnseenDigits;
  /** Extra JSON fields for metrics.json (timings, sizes, settings). */
  extra: Record<string, unknown>;
}

const ci = (m: { mean: number; ci95: number }) => `${(100 * m.mean).toFixed(1)}% ± ${(100 * m.ci95).toFixed(1)}`;

/** The unseen-classes table: few-shot accuracy (mean ± 95% CI) and retrieval, trained against raw pixels. */
function unseenTable(u: UnseenDigits): string {
  const rows: [string, (f: UnseenDigits['trained']) => string][] = [
    ['5-way 1-shot, nearest support', (f) => ci(f.oneShot.nearestSupport)],
    ['5-way 5-shot, nearest support', (f) => ci(f.fiveShot.nearestSupport)],
    ['5-way 5-shot, nearest prototype', (f) => ci(f.fiveShot.nearestPrototype)],
    ['Precision@1', (f) => `${(100 * f.retrieval.precisionAt1).toFixed(1)}%`],
    ['MAP@R', (f) => `${(100 * f.retrieval.mapAtR).toFixed(1)}%`],
  ];
  const body = rows.map(
    ([name, get]) => `<tr><th>${esc(name)}</th><td>${get(u.trained)}</td><td>${get(u.rawPixels)}</td></tr>`,
  );
  return `<table class="metrics">
<thead><tr><th>digits ${esc(u.unseenClasses.join(', '))}, never trained on</th><th>trained on ${esc(u.seenClasses.join(', '))}</th><th>raw pixels</th></tr></thead>
<tbody>
${body.join('\n')}
</tbody></table>`;
}

/** Files written by {@link writeReport}. */
export interface ReportFiles {
  html: string;
  metrics: string;
  figures: string[];
}

const scores = (m: RetrievalMetrics) => ({
  precisionAt1: m.precisionAt1,
  rPrecision: m.rPrecision,
  mapAtR: m.mapAtR,
  queries: m.queries,
  excludedQueries: m.excludedQueries,
  distance: m.distance,
  normalized: m.normalized,
  classAverage: m.classAverage,
  perClass: m.perClass,
});

/**
 * @example
 * const files = await writeReport('tripletkit-demo/report', data);
 */
export async function writeReport(dir: string, d: DemoReportData): Promise<ReportFiles> {
  await fs.mkdir(dir, { recursive: true });
  const figures: ReportFigure[] = [];
  const fig = (file: string, alt: string, caption: string) => {
    const f = { file, alt, caption };
    figures.push(f);
    return f;
  };
  const epochs = d.epochs;
  const lossFig = fig('loss.png', 'Training loss per epoch', 'Mean triplet loss over the epoch’s batches.');
  await svgToPng(
    lineChart({
      title: 'Training loss',
      xLabel: 'epoch',
      yLabel: 'triplet loss',
      series: [{ name: 'loss', color: PALETTE.blue, points: epochs.map((e) => [e.epoch, e.loss]) }],
    }),
    path.join(dir, lossFig.file),
  );
  const activeFig = fig(
    'active-triplets.png',
    'Active triplets per epoch',
    'Semi-hard triplets mined per batch as a share of all valid triplets of the batch (every one of them has a non-zero loss). It falls as the embedding separates the classes and fewer negatives remain inside the margin.',
  );
  await svgToPng(
    lineChart({
      title: 'Active (semi-hard) triplets per batch',
      xLabel: 'epoch',
      yLabel: 'share of valid triplets',
      series: [
        {
          name: 'semi-hard / valid triplets',
          color: PALETTE.orange,
          points: epochs.map((e) => [e.epoch, e.minedFraction ?? e.activeFraction]),
        },
      ],
    }),
    path.join(dir, activeFig.file),
  );

  const m = d.mining;
  const all = [m.before.dAp, m.before.dAn, m.after.dAp, m.after.dAn];
  let hi = 0;
  for (const a of all) for (let i = 0; i < a.length; i++) hi = Math.max(hi, a[i]);
  const xDomain: [number, number] = [0, hi > 0 ? Math.min(2, hi * 1.05) : 2];
  const histFigs: ReportFigure[] = [];
  for (const [key, run] of [
    ['before', m.before],
    ['after', m.after],
  ] as const) {
    const f = fig(
      `distances-${key}.png`,
      `d_ap and d_an of ${m.strategy} triplets ${key} training`,
      `${run.model}: ${run.total.toLocaleString('en-US')} ${m.strategy} triplets among the held-out images.`,
    );
    histFigs.push(f);
    await svgToPng(
      histogram({
        title: `${key === 'before' ? 'Before' : 'After'} training: ${run.total.toLocaleString('en-US')} ${m.strategy} triplets`,
        xLabel: `${m.distance} distance (L2-normalised embeddings)`,
        xDomain,
        showCounts: false,
        series: [
          { name: 'd(anchor, positive)', color: PALETTE.blue, values: run.dAp },
          { name: 'd(anchor, negative)', color: PALETTE.red, values: run.dAn },
        ],
      }),
      path.join(dir, f.file),
    );
  }

  const pairFigs: ReportFigure[] = [];
  for (const [key, run] of [
    ['before', d.pairs.before],
    ['after', d.pairs.after],
  ] as const) {
    const f = fig(
      `pairs-${key}.png`,
      `Distances of same-class and different-class pairs ${key} training`,
      `${run.model}: every pair of the same held-out images. Training moves same-class pairs left and different-class pairs right.`,
    );
    pairFigs.push(f);
    await svgToPng(
      histogram({
        title: `${key === 'before' ? 'Before' : 'After'} training: pair distances`,
        xLabel: `${m.distance} distance (L2-normalised embeddings)`,
        yLabel: 'fraction of pairs',
        xDomain: [0, 2],
        series: [
          { name: 'same class', color: PALETTE.blue, values: run.same },
          { name: 'different classes', color: PALETTE.red, values: run.different },
        ],
      }),
      path.join(dir, f.file),
    );
  }

  const gridTrained = fig(
    'retrieval-trained.png',
    'Held-out queries and their 5 nearest neighbours with the trained model',
    `${d.trainedName}: each row is a held-out query (blue) and its 5 nearest held-out images.`,
  );
  await retrievalGrid(d.grids.trained, path.join(dir, gridTrained.file), `Nearest neighbours: ${d.trainedName}`);
  const gridRaw = fig(
    'retrieval-raw-pixels.png',
    'The same queries with raw pixels',
    `${d.baselineName}: the same queries, neighbours by Euclidean distance between pixel values.`,
  );
  await retrievalGrid(d.grids.baseline, path.join(dir, gridRaw.file), `Nearest neighbours: ${d.baselineName}`);

  const unseenSections = [];
  if (d.unseen) {
    const u = d.unseen;
    const f = fig(
      'unseen-search.png',
      'Unseen digits recognised from one example per class',
      `tripletkit search --by-class against a gallery of one example of each digit ${u.unseenClasses.join(', ')}: each row is a query (blue, its digit → the predicted one) followed by the five examples, nearest first, with their distance. ${Math.round(100 * u.gridAccuracy)}% of these queries are recognised.`,
    );
    await retrievalGrid(u.grid, path.join(dir, f.file), 'One example per unseen digit: distance from each class');
    unseenSections.push({
      heading: 'Digits it never saw',
      text: `A second model trained only on ${u.trainImages.toLocaleString('en-US')} digits ${u.seenClasses.join(', ')} (${u.epochs} epochs) embeds ${u.unseenImages.toLocaleString('en-US')} digits ${u.unseenClasses.join(', ')}. Few-shot episodes (${u.trained.oneShot.episodes} per setting, 15 queries per class) classify each query by its nearest support example or class centroid; figures are means with 95% confidence intervals, next to the same episodes on raw pixels.`,
      html: unseenTable(u),
      figures: [f],
    });
  }
  const html = reportHtml({
    title: d.title,
    intro: d.intro,
    trained: d.trained,
    baseline: d.baseline,
    trainedName: d.trainedName,
    baselineName: d.baselineName,
    classNames: d.classNames,
    command: d.command,
    facts: d.facts,
    sections: [
      {
        heading: 'Nearest neighbours',
        text: 'Green: same class as the query. Red: another class.',
        figures: [gridTrained, gridRaw],
      },
      {
        heading: 'Training',
        text: 'Online semi-hard mining: every batch is embedded by the shared encoder, triplets are mined on it with the miner library, and the loss is taken over them.',
        figures: [lossFig, activeFig],
      },
      {
        heading: 'Triplet distances, before and after training',
        text: `Offline ${m.strategy} mining (margin ${m.margin}) on the held-out embeddings, with the same miner as tripletkit mine. Training pulls positives in and pushes negatives out, so fewer triplets remain inside the margin.`,
        figures: histFigs,
      },
      {
        heading: 'Pair distances, before and after training',
        text: 'The same held-out images, all pairs: how far apart same-class and different-class images are. Retrieval works when the two distributions separate.',
        figures: pairFigs,
      },
      ...unseenSections,
    ],
  });
  const htmlFile = path.join(dir, 'report.html');
  // Only files that exist may be referenced (the demo's test checks this too).
  for (const ref of referencedFiles(html)) {
    const ok = await fs
      .stat(path.join(dir, ref))
      .then((s) => s.isFile())
      .catch(() => false);
    if (!ok) throw new TripletkitError('E_DATA', `report.html would reference ${ref}, which was not written.`);
  }
  await writeAtomic(htmlFile, (tmp) => fs.writeFile(tmp, html));
  const metricsFile = path.join(dir, 'metrics.json');
  const json = {
    trained: { name: d.trainedName, ...scores(d.trained) },
    baseline: { name: d.baselineName, ...scores(d.baseline) },
    classes: d.classNames,
    epochs: d.epochs,
    mining: {
      strategy: m.strategy,
      margin: m.margin,
      distance: m.distance,
      before: { model: m.before.model, triplets: m.before.total },
      after: { model: m.after.model, triplets: m.after.total },
    },
    ...(d.unseen
      ? {
          unseen: {
            seenClasses: d.unseen.seenClasses,
            unseenClasses: d.unseen.unseenClasses,
            trainImages: d.unseen.trainImages,
            unseenImages: d.unseen.unseenImages,
            epochs: d.unseen.epochs,
            gridAccuracy: d.unseen.gridAccuracy,
            ...Object.fromEntries(
              (['trained', 'rawPixels'] as const).map((k) => {
                const f = d.unseen![k];
                return [
                  k,
                  {
                    oneShot: { nearestSupport: f.oneShot.nearestSupport, nearestPrototype: f.oneShot.nearestPrototype },
                    fiveShot: {
                      nearestSupport: f.fiveShot.nearestSupport,
                      nearestPrototype: f.fiveShot.nearestPrototype,
                    },
                    precisionAt1: f.retrieval.precisionAt1,
                    mapAtR: f.retrieval.mapAtR,
                  },
                ];
              }),
            ),
          },
        }
      : {}),
    ...d.extra,
  };
  await writeAtomic(metricsFile, (tmp) => fs.writeFile(tmp, `${JSON.stringify(json, null, 2)}\n`));
  return { html: htmlFile, metrics: metricsFile, figures: figures.map((f) => path.join(dir, f.file)) };
}
