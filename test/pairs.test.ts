import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { openImages } from '../packages/loader/src/index.ts';
import { sharp } from '../packages/loader/test/fixtures.ts';
import { mine } from '../packages/miner/src/index.ts';
import { runCli, tempDir } from './helpers/cli.ts';

/** An 8×8 gray PNG whose pixels are v, v+1, …: distinct per file, so a round trip can be checked byte for byte. */
async function png(file: string, v: number): Promise<Uint8Array> {
  const px = Uint8Array.from({ length: 64 }, (_, i) => (v * 7 + i) % 256);
  await sharp(Buffer.from(px), { raw: { width: 8, height: 8, channels: 1 } })
    .png()
    .toFile(file);
  return px;
}

test('pairs manifest round trip: one row per image, label = the pair’s group (shared images join groups), mining sees pairs as positives', async () => {
  const dir = await tempDir('tripletkit-pairs-');
  await fs.mkdir(path.join(dir, 'img'));
  const names = ['a1', 'a2', 'a3', 'b1', 'b2', 'c1', 'c2', 'd1', 'd2'];
  const pixels = new Map<string, Uint8Array>();
  for (const [i, n] of names.entries()) pixels.set(`img/${n}.png`, await png(path.join(dir, 'img', `${n}.png`), i * 3));
  // a2 appears in two pairs: a1, a2, a3 are one group.
  const rows = [
    ['a1', 'a2'],
    ['b1', 'b2'],
    ['a2', 'a3'],
    ['c1', 'c2'],
    ['d1', 'd2'],
  ];
  await fs.writeFile(
    path.join(dir, 'pairs.csv'),
    `anchor,positive\n${rows.map(([a, p]) => `img/${a}.png,img/${p}.png`).join('\n')}\n`,
  );
  await fs.writeFile(
    path.join(dir, 'pairs.jsonl'),
    rows.map(([a, p]) => JSON.stringify({ anchor: `img/${a}.png`, positive: `img/${p}.png` })).join('\n'),
  );
  for (const manifest of ['pairs.csv', 'pairs.jsonl']) {
    const out = path.join(dir, `${manifest}.arrow`);
    const r = await runCli(['load', '--pairs', path.join(dir, manifest), '--channels', '1', '-o', out, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const images = await openImages(out);
    const paths = await images.paths();
    const labels = await images.labels();
    assert.deepEqual(paths, [
      'img/a1.png',
      'img/a2.png',
      'img/b1.png',
      'img/b2.png',
      'img/a3.png',
      'img/c1.png',
      'img/c2.png',
      'img/d1.png',
      'img/d2.png',
    ]);
    assert.deepEqual([...labels], [0, 0, 1, 1, 0, 2, 2, 3, 3]);
    assert.deepEqual(images.classes, ['0', '1', '2', '3']);
    const { pixels: got } = await images.readRows(paths.map((_, i) => i));
    paths.forEach((p, i) => {
      assert.deepEqual(got.subarray(i * 64, (i + 1) * 64), pixels.get(p), p);
    });
    // Mining unchanged: every anchor-positive of every triplet is a pair's group, negatives come from other groups.
    const m = mine(
      Float32Array.from(got, (v) => v / 255),
      64,
      labels,
      { strategy: 'all', margin: 1e9 },
    );
    assert.ok(m.anchors.length > 0);
    for (let t = 0; t < m.anchors.length; t++) {
      assert.equal(labels[m.anchors[t]], labels[m.positives[t]]);
      assert.notEqual(labels[m.anchors[t]], labels[m.negatives[t]]);
    }
    await images.close();
  }
  await fs.writeFile(path.join(dir, 'bad.csv'), 'anchor,positive\nimg/a1.png,img/zz.png\n');
  const bad = await runCli(['load', '--pairs', path.join(dir, 'bad.csv'), '-o', path.join(dir, 'bad.arrow')]);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /Line 2 of the pairs manifest .*bad\.csv names img\/zz\.png, which does not exist/);
  await assert.rejects(fs.stat(path.join(dir, 'bad.arrow')));
});
