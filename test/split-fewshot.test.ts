import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { fixedSizeListData, int32Data, Rng, recordBatch, utf8Data, writeArrow } from '../packages/common/src/index.ts';
import { imagesSchema, openImages } from '../packages/loader/src/index.ts';
import { fewShotAccuracy } from '../packages/miner/src/index.ts';
import { runCli, tempDir } from './helpers/cli.ts';

/** A 4×4 gray images file: `perClass` noisy copies of one random pattern per class. */
async function writeImagesFile(file: string, classes: string[], perClass: number, seed = 1) {
  const rng = new Rng(seed);
  const patterns = classes.map(() => Array.from({ length: 16 }, () => rng.int(256)));
  const n = classes.length * perClass;
  const pixels = new Uint8Array(n * 16);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = i % classes.length;
    for (let p = 0; p < 16; p++)
      pixels[i * 16 + p] = Math.max(0, Math.min(255, patterns[labels[i]][p] + rng.int(161) - 80));
  }
  const schema = imagesSchema({ height: 4, width: 4, channels: 1, classes, extra: { 'tripletkit.fit': 'cover' } });
  const paths = Array.from(labels, (l, i) => `${classes[l]}/${i}.png`);
  await writeArrow(file, schema, [
    recordBatch(schema, [fixedSizeListData(pixels, 16), int32Data(labels), utf8Data(paths)]),
  ]);
  return { pixels, labels };
}

test('tripletkit split: by class list, exclusion and seeded fraction; labels keep indexing the full class list', async () => {
  const dir = await tempDir();
  const all = path.join(dir, 'all.arrow');
  await writeImagesFile(all, ['ant', 'bee', 'cat', 'dog', 'eel', 'fox'], 5);
  const seen = path.join(dir, 'seen.arrow');
  const unseen = path.join(dir, 'unseen.arrow');
  const r = await runCli(['split', '-i', all, '--classes', '0-1,cat', '-o', seen, '--rest', unseen, '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout).classes, ['ant', 'bee', 'cat']);
  const s = await openImages(seen);
  const u = await openImages(unseen);
  assert.equal(s.numRows, 15);
  assert.equal(u.numRows, 15);
  assert.deepEqual([...new Set(await s.labels())].sort(), [0, 1, 2]);
  assert.deepEqual([...new Set(await u.labels())].sort(), [3, 4, 5]);
  assert.deepEqual(s.classes, ['ant', 'bee', 'cat', 'dog', 'eel', 'fox']);
  assert.equal(s.metadata['tripletkit.split.classes'], '["ant","bee","cat"]');
  assert.equal(u.metadata['tripletkit.split.classes'], '["dog","eel","fox"]');
  assert.equal(u.metadata['tripletkit.fit'], 'cover');
  assert.ok((await u.paths()).every((p) => /^(dog|eel|fox)\//.test(p)));
  await s.close();
  await u.close();

  const ex = await runCli([
    'split',
    '-i',
    all,
    '--exclude-classes',
    'eel,fox',
    '-o',
    path.join(dir, 'ex.arrow'),
    '--json',
  ]);
  assert.deepEqual(JSON.parse(ex.stdout).classes, ['ant', 'bee', 'cat', 'dog']);
  const f1 = await runCli([
    'split',
    '-i',
    all,
    '--holdout-fraction',
    '0.5',
    '--seed',
    '3',
    '-o',
    path.join(dir, 'h.arrow'),
    '--json',
  ]);
  const f2 = await runCli([
    'split',
    '-i',
    all,
    '--holdout-fraction',
    '0.5',
    '--seed',
    '3',
    '-o',
    path.join(dir, 'h.arrow'),
    '--json',
  ]);
  assert.equal(JSON.parse(f1.stdout).classes.length, 3);
  assert.deepEqual(JSON.parse(f1.stdout).classes, JSON.parse(f2.stdout).classes);

  const bad = path.join(dir, 'bad.arrow');
  const b = await runCli(['split', '-i', all, '--classes', 'yak', '-o', bad]);
  assert.notEqual(b.code, 0);
  assert.match(b.stderr, /--classes names class "yak", which the images file does not have/);
  await assert.rejects(fs.stat(bad));
  const empty = await runCli(['split', '-i', all, '--classes', '0-5', '-o', bad, '--rest', path.join(dir, 'r.arrow')]);
  assert.notEqual(empty.code, 0);
  assert.match(empty.stderr, /would leave .*r\.arrow empty/);
  assert.deepEqual((await fs.readdir(dir)).sort(), ['all.arrow', 'ex.arrow', 'h.arrow', 'seen.arrow', 'unseen.arrow']);
});

test('tripletkit eval --few-shot --verification on raw pixels: seeded, equal to the library, in the table and --json', async () => {
  const dir = await tempDir();
  const file = path.join(dir, 'img.arrow');
  const { pixels, labels } = await writeImagesFile(file, ['a', 'b', 'c', 'd'], 12, 2);
  const args = ['eval', '--images', file, '--few-shot', '--ways', '3', '--shots', '2', '--queries', '4'];
  const more = ['--episodes', '40', '--seed', '5', '--verification', '--pairs', '200', '--json'];
  const r1 = await runCli([...args, ...more]);
  const r2 = await runCli([...args, ...more]);
  assert.equal(r1.code, 0, r1.stderr);
  assert.equal(r1.stdout, r2.stdout);
  const got = JSON.parse(r1.stdout);
  const want = fewShotAccuracy(
    Float32Array.from(pixels, (p) => p / 255),
    16,
    labels,
    {
      ways: 3,
      shots: 2,
      queries: 4,
      episodes: 40,
      seed: 5,
    },
  );
  assert.deepEqual(got.fewShot.nearestSupport, want.nearestSupport);
  assert.deepEqual(got.fewShot.nearestPrototype, want.nearestPrototype);
  assert.ok(got.verification.rocAuc > 0.5 && got.verification.rocAuc <= 1);
  const table = await runCli([...args, '--episodes', '40']);
  assert.match(table.stdout, /3-way 2-shot accuracy, 4 queries per class, 40 episodes \(seed 0\)/);
  assert.match(table.stdout, /nearest prototype\s+\d+\.\d\d% ± \d+\.\d\d/);
  const tooMany = await runCli(['eval', '--images', file, '--few-shot', '--ways', '5']);
  assert.notEqual(tooMany.code, 0);
  assert.match(tooMany.stderr, /needs 5 classes/);
});
