import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { imageInfo } from '../packages/cli/src/demo/renderPng.ts';
import { referencedFiles } from '../packages/cli/src/demo/reportHtml.ts';
import { runCli, tempDir } from './helpers/cli.ts';

test('tripletkit demo --quick: trains, beats raw pixels on held-out digits, writes a complete report', async () => {
  const out = path.join(await tempDir(), 'demo');
  const r = await runCli(['demo', '--quick', '--out', out, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const result = JSON.parse(r.stdout);
  const report = path.join(out, 'report');
  assert.equal(result.report, path.join(report, 'report.html'));

  // The trained encoder must retrieve better than the pixels it started from (same queries, same metrics).
  assert.ok(
    result.trained.precisionAt1 > result.rawPixels.precisionAt1,
    `P@1 trained ${result.trained.precisionAt1} vs raw pixels ${result.rawPixels.precisionAt1}`,
  );
  assert.ok(result.trained.precisionAt1 <= 1 && result.rawPixels.precisionAt1 > 0.5, 'plausible P@1 values');

  // metrics.json agrees with the result and has every class.
  const metrics = JSON.parse(await fs.readFile(path.join(report, 'metrics.json'), 'utf8'));
  assert.equal(metrics.trained.precisionAt1, result.trained.precisionAt1);
  assert.equal(metrics.baseline.mapAtR, result.rawPixels.mapAtR);
  assert.equal(metrics.trained.perClass.length, 10);
  assert.equal(metrics.trained.queries, result.testImages);
  assert.ok(metrics.epochs.length >= 1 && metrics.epochs.every((e: { loss: number }) => Number.isFinite(e.loss)));

  // report.html references only files that exist, and they are real PNGs; every plot is referenced.
  const html = await fs.readFile(result.report, 'utf8');
  const refs = referencedFiles(html);
  for (const name of ['loss.png', 'active-triplets.png', 'distances-before.png', 'distances-after.png']) {
    assert.ok(refs.includes(name), `report.html shows ${name}`);
  }
  assert.ok(refs.includes('retrieval-trained.png'));
  for (const ref of refs) {
    const info = await imageInfo(path.join(report, ref));
    assert.equal(info.format, 'png', ref);
    assert.ok(info.width > 100 && info.height > 100, ref);
  }
  const pngs = (await fs.readdir(report)).filter((f) => f.endsWith('.png')).sort();
  assert.deepEqual([...refs].sort(), pngs);
});
