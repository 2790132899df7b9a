/**
 * The demo's "Digits it never saw": the Siamese promise measured. A model trained only on digits 0–4 embeds digits
 * 5–9; few-shot episodes (one or five examples per digit) classify them against raw pixels, with 95% confidence
 * intervals, and `buildIndex`/`search` recognise each unseen digit from one example per class.
 */
import path from 'node:path';
import { fixedSizeListData, int32Data, recordBatch, utf8Data, writeArrow } from '@tripletkit/common';
import { imagesSchema, openImages, splitImages } from '@tripletkit/loader';
import {
  type FewShotResult,
  fewShotAccuracy,
  type RetrievalMetrics,
  readEmbeddings,
  retrievalMetrics,
} from '@tripletkit/miner';
import { buildIndex, embedImages, search, train } from '@tripletkit/trainer';
import type { GridRow } from './retrievalGrid.ts';

/** Inputs of {@link unseenDigits}. */
export interface UnseenDigitsOptions {
  /** The demo's training and held-out images files (all ten digits). */
  trainImages: string;
  testImages: string;
  /** Folder for the split files, the run and the index. */
  dir: string;
  epochs: number;
  /** Few-shot episodes per setting. */
  episodes: number;
  /** Query rows of the search grid (per unseen digit). */
  gridPerClass: number;
  seed: number;
  backend: string;
  signal?: AbortSignal;
  log: (line: string) => void;
}

/** Few-shot figures of one source. */
export interface FewShotFigures {
  oneShot: FewShotResult;
  fiveShot: FewShotResult;
  retrieval: RetrievalMetrics;
}

/** What the section measured. */
export interface UnseenDigits {
  seenClasses: string[];
  unseenClasses: string[];
  trainImages: number;
  unseenImages: number;
  epochs: number;
  trained: FewShotFigures;
  rawPixels: FewShotFigures;
  /** Search grid: each query, and the one-example-per-class gallery by distance. */
  grid: GridRow[];
  /** Share of the grid's queries whose nearest class is right. */
  gridAccuracy: number;
  searchQueriesPerSecond: number;
  trainSeconds: number;
}

function figures(x: Float32Array, dim: number, labels: Int32Array, episodes: number, seed: number): FewShotFigures {
  const common = { ways: 5, queries: 15, episodes, seed };
  return {
    oneShot: fewShotAccuracy(x, dim, labels, { ...common, shots: 1 }),
    fiveShot: fewShotAccuracy(x, dim, labels, { ...common, shots: 5 }),
    retrieval: retrievalMetrics(x, dim, labels),
  };
}

/**
 * @example
 * const u = await unseenDigits({ trainImages, testImages, dir: 'demo/unseen', epochs: 5, episodes: 600, gridPerClass: 2, seed: 0, backend: 'auto', log });
 */
export async function unseenDigits(o: UnseenDigitsOptions): Promise<UnseenDigits> {
  const seen = path.join(o.dir, 'train-0-4.arrow');
  const unseen = path.join(o.dir, 'test-5-9.arrow');
  const split = await splitImages(o.trainImages, seen, { classes: '0-4' });
  const rest = await splitImages(o.testImages, unseen, { classes: '5-9' });
  o.log(`demo: digits it never saw — training on ${split.rows} digits 0–4, evaluating on ${rest.rows} digits 5–9`);
  const t0 = performance.now();
  const run = await train({
    images: seen,
    mining: 'semi-hard',
    out: path.join(o.dir, 'run'),
    encoder: 'small-cnn',
    embeddingDim: 64,
    epochs: o.epochs,
    // All five seen digits in every batch, 24 of each: the demo's 120-image batches.
    p: 5,
    k: 24,
    seed: o.seed,
    backend: o.backend as never,
    signal: o.signal,
    log: (line) => o.log(`train (0–4): ${line}`),
  });
  const trainSeconds = (performance.now() - t0) / 1000;
  const embFile = path.join(o.dir, 'test-5-9-embeddings.arrow');
  // Digits 5–9 were never trained on: the model's backbone features (what `--features auto` picks) transfer.
  await embedImages(run.modelDir, unseen, embFile, { backend: o.backend as never, features: 'backbone' });
  const e = await readEmbeddings(embFile);
  const images = await openImages(unseen);
  const all = Array.from({ length: images.numRows }, (_, i) => i);
  const { pixels, labels } = await images.readRows(all);
  const paths = await images.paths();
  const px = Float32Array.from(pixels, (v) => v / 255);
  const pixelDim = images.height * images.width * images.channels;
  const trained = figures(e.embeddings, e.dim, labels, o.episodes, o.seed);
  const rawPixels = figures(px, pixelDim, labels, o.episodes, o.seed);

  // Search: a gallery of ONE example per unseen digit (its first image), queries = the next few of each digit.
  const classes = images.classes;
  const unseenLabels = [...new Set(labels)].sort((a, b) => a - b);
  const first = unseenLabels.map((c) => labels.indexOf(c));
  const queryRows: number[] = [];
  for (const c of unseenLabels) {
    let n = 0;
    for (let i = 0; i < labels.length && n < o.gridPerClass; i++) {
      if (labels[i] === c && !first.includes(i)) {
        queryRows.push(i);
        n++;
      }
    }
  }
  const size = pixelDim;
  const rowsFile = async (file: string, rows: number[]) => {
    const schema = imagesSchema({ height: images.height, width: images.width, channels: images.channels, classes });
    const px8 = new Uint8Array(rows.length * size);
    rows.forEach((r, i) => {
      px8.set(pixels.subarray(r * size, (r + 1) * size), i * size);
    });
    await writeArrow(file, schema, [
      recordBatch(schema, [
        fixedSizeListData(px8, size),
        int32Data(Int32Array.from(rows, (r) => labels[r])),
        utf8Data(rows.map((r) => paths[r])),
      ]),
    ]);
  };
  await images.close();
  const galleryFile = path.join(o.dir, 'one-per-class.arrow');
  const queryFile = path.join(o.dir, 'queries.arrow');
  await rowsFile(galleryFile, first);
  await rowsFile(queryFile, queryRows);
  const indexFile = path.join(o.dir, 'one-per-class.idx.arrow');
  await buildIndex({ model: run.modelDir, images: galleryFile, output: indexFile, backend: o.backend as never });
  const found = await search({
    index: indexFile,
    query: queryFile,
    k: first.length,
    byClass: true,
    backend: o.backend as never,
  });
  const img = (r: number, caption: string) => ({
    pixels: pixels.subarray(r * size, (r + 1) * size),
    width: 28,
    height: 28,
    channels: 1,
    caption,
  });
  const byPath = new Map(first.map((r) => [paths[r], r]));
  let right = 0;
  const grid: GridRow[] = found.queries.map((q, i) => {
    const cls = q.classes ?? [];
    if (cls[0]?.class === q.class) right++;
    return {
      query: img(queryRows[i], `${q.class} → ${q.predicted}`),
      neighbors: cls.map((c) => ({
        ...img(byPath.get(c.nearestPath) as number, `${c.class} ${c.nearest.toFixed(2)}`),
        correct: c.class === q.class,
      })),
    };
  });
  return {
    seenClasses: split.classes,
    unseenClasses: rest.classes,
    trainImages: split.rows,
    unseenImages: rest.rows,
    epochs: o.epochs,
    trained,
    rawPixels,
    grid,
    gridAccuracy: right / Math.max(1, grid.length),
    searchQueriesPerSecond: found.queriesPerSecond.total,
    trainSeconds,
  };
}
