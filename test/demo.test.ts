import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { imageInfo } from '../packages/demo/src/renderPng.ts';
import { referencedFiles } from '../packages/demo/src/reportHtml.ts';
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
  // Digits it never saw: the section, its few-shot table (with CIs) and its one-example-per-class search grid.
  assert.ok(refs.includes('unseen-search.png'));
  assert.match(html, /Digits it never saw/);
  assert.match(html, /5-way 1-shot, nearest support<\/th><td>\d+\.\d% ± \d+\.\d/);
  for (const side of ['trained', 'rawPixels'] as const) {
    const u = result.unseen[side];
    assert.ok(u.oneShot.mean > 0.2 && u.oneShot.mean <= 1 && u.oneShot.ci95 > 0, `${side} 1-shot ${u.oneShot.mean}`);
    assert.equal(metrics.unseen[side].oneShot.nearestSupport.mean, u.oneShot.mean);
  }
  assert.deepEqual(metrics.unseen.unseenClasses, ['5', '6', '7', '8', '9']);
  // The Siamese promise, even in the quick run: digits never trained on are told apart better than by raw pixels.
  assert.ok(
    result.unseen.trained.oneShot.mean > result.unseen.rawPixels.oneShot.mean,
    `unseen 1-shot trained ${result.unseen.trained.oneShot.mean} vs raw ${result.unseen.rawPixels.oneShot.mean}`,
  );
  for (const ref of refs) {
    const info = await imageInfo(path.join(report, ref));
    assert.equal(info.format, 'png', ref);
    assert.ok(info.width > 100 && info.height > 100, ref);
  }
  const pngs = (await fs.readdir(report)).filter((f) => f.endsWith('.png')).sort();
  assert.deepEqual([...refs].sort(), pngs);
});
