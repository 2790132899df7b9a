import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { metricsTable } from '../packages/cli/src/tables/metricsTable.ts';
import { exportMnist } from '../packages/demo/src/exportMnist.ts';
import { binCounts, histogram } from '../packages/demo/src/histogram.ts';
import { lineChart } from '../packages/demo/src/lineChart.ts';
import { imageInfo, readRgb, svgToPng } from '../packages/demo/src/renderPng.ts';
import { referencedFiles, reportHtml } from '../packages/demo/src/reportHtml.ts';
import { retrievalGrid } from '../packages/demo/src/retrievalGrid.ts';
import { niceTicks } from '../packages/demo/src/svg.ts';
import { retrievalMetrics } from '../packages/miner/src/index.ts';
import { tempDir } from './helpers/cli.ts';

test('binCounts puts every finite value in exactly one bin, hi in the last', () => {
  assert.deepEqual(binCounts([0, 0.1, 0.5, 0.99, 1, Number.NaN, -3, 7], 0, 1, 4), [3, 0, 1, 3]);
});

test('niceTicks: 1-2-5 steps covering the range', () => {
  assert.deepEqual(niceTicks(0, 1, 5), [0, 0.2, 0.4, 0.6, 0.8, 1]);
  assert.deepEqual(niceTicks(1, 8, 8), [1, 2, 3, 4, 5, 6, 7, 8]);
});

test('charts rasterise to PNGs of the SVG size × 2 (density 144)', async () => {
  const dir = await tempDir();
  const loss = path.join(dir, 'loss.png');
  await svgToPng(
    lineChart({
      title: 'Loss & <things>',
      xLabel: 'epoch',
      yLabel: 'loss',
      series: [
        {
          name: 'loss',
          color: '#0072B2',
          points: [
            [1, 0.3],
            [2, 0.1],
          ],
        },
      ],
    }),
    loss,
  );
  const hist = path.join(dir, 'hist.png');
  await svgToPng(
    histogram({ title: 'h', xLabel: 'd', series: [{ name: 'a', color: '#000', values: [0.1, 0.2, 0.2] }] }),
    hist,
  );
  for (const f of [loss, hist]) {
    const meta = await imageInfo(f);
    assert.equal(meta.format, 'png');
    assert.deepEqual([meta.width, meta.height], [1120, 640]);
  }
});

test('the retrieval grid marks right neighbours green and wrong ones red', async () => {
  const dir = await tempDir();
  const img = (v: number, caption: string) => ({
    pixels: new Uint8Array(28 * 28).fill(v),
    width: 28,
    height: 28,
    channels: 1,
    caption,
  });
  const file = path.join(dir, 'grid.png');
  await retrievalGrid(
    [
      {
        query: img(255, 'q'),
        neighbors: [
          { ...img(128, 'a'), correct: true },
          { ...img(0, 'b'), correct: false },
        ],
      },
    ],
    file,
    'grid',
  );
  const { data, width } = await readRgb(file);
  const at = (x: number, y: number) => [...data.subarray((y * width + x) * 3, (y * width + x) * 3 + 3)];
  // Layout constants of retrievalGrid: PAD 16, HEADER 44, cell 94, 3 gaps of 10 after the query, border 5.
  assert.deepEqual(at(16 + 2, 44 + 2), [0, 114, 178]); // query border: blue
  assert.deepEqual(at(16 + 94 + 30 + 2, 44 + 2), [0, 158, 115]); // first neighbour: green
  assert.deepEqual(at(16 + 94 + 30 + 104 + 2, 44 + 2), [214, 39, 40]); // second: red
  assert.deepEqual(at(16 + 50, 44 + 50), [255, 255, 255]); // the query's pixels, upscaled
  assert.deepEqual(at(16 + 94 + 30 + 104 + 50, 44 + 50), [0, 0, 0]);
});

test('report.html shows the numbers and references exactly the figures it was given', () => {
  const m = retrievalMetrics(new Float32Array([0, 1, 5, 6]), 1, [0, 0, 1, 1]);
  const b = retrievalMetrics(new Float32Array([0, 6, 5, 1]), 1, [0, 0, 1, 1]);
  const html = reportHtml({
    title: 'Demo',
    intro: 'x < y',
    trained: m,
    baseline: b,
    trainedName: 'trained',
    baselineName: 'raw pixels',
    classNames: ['zero', 'one'],
    sections: [{ heading: 'S', text: 't', figures: [{ file: 'a.png', alt: 'A', caption: 'c' }] }],
    facts: [['k', 'v']],
    command: 'tripletkit demo',
  });
  assert.deepEqual(referencedFiles(html), ['a.png']);
  assert.match(html, /x &lt; y/);
  assert.match(html, /100\.0%/); // trained P@1
  assert.match(html, /0\.0%/); // baseline P@1
  assert.deepEqual(referencedFiles('<a href="https://x.org/y">x</a><img src="p/q.png"><a href="#top">t</a>'), [
    'p/q.png',
  ]);
});

test('metricsTable: overall, class mean, one line per class', () => {
  const m = retrievalMetrics(new Float32Array([0, 1, 2, 5, 20]), 1, [0, 1, 0, 0, 1]);
  const lines = metricsTable(m, ['zero', 'one']);
  assert.match(lines[2], /^all queries\s+5\s+20\.00%\s+30\.00%\s+20\.00%$/);
  assert.match(lines[4], /^ {2}zero\s+3\s+2\s+33\.33%\s+50\.00%\s+33\.33%$/);
  assert.match(lines.at(-1)!, /5 queries against each other \(self excluded\); euclidean/);
});

test('the MNIST export is a deterministic class-per-folder split, reused when unchanged', async () => {
  const dir = await tempDir();
  const a = await exportMnist({ out: path.join(dir, 'a'), trainPerClass: 3, testPerClass: 2, seed: 5 });
  const b = await exportMnist({ out: path.join(dir, 'b'), trainPerClass: 3, testPerClass: 2, seed: 5 });
  assert.deepEqual([a.trainImages, a.testImages, a.reused], [30, 20, false]);
  const list = async (root: string) => (await fs.readdir(root, { recursive: true })).map(String).sort();
  const la = await list(a.train);
  assert.deepEqual(la, await list(b.train));
  assert.deepEqual(await fs.readdir(a.train), ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  // No image is in both splits.
  const testFiles = new Set((await list(a.test)).filter((f) => f.endsWith('.png')).map((f) => path.basename(f)));
  for (const f of la) if (f.endsWith('.png')) assert.ok(!testFiles.has(path.basename(f)), f);
  const first = la.find((f) => f.endsWith('.png'))!;
  const meta = await imageInfo(path.join(a.train, first));
  assert.deepEqual([meta.width, meta.height, meta.channels], [28, 28, 1]);
  assert.equal(
    (await exportMnist({ out: path.join(dir, 'a'), trainPerClass: 3, testPerClass: 2, seed: 5 })).reused,
    true,
  );
});
