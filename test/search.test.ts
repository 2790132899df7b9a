import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { fixedSizeListData, int32Data, Rng, recordBatch, utf8Data, writeArrow } from '../packages/common/src/index.ts';
import { imagesSchema } from '../packages/loader/src/index.ts';
import { sharp } from '../packages/loader/test/fixtures.ts';
import { readEmbeddings } from '../packages/miner/src/index.ts';
import { buildEncoder, embedImages, saveModel, selectBackend } from '../packages/trainer/src/index.ts';
import { runCli, tempDir } from './helpers/cli.ts';

const S = 12; // image side

async function fixture() {
  const dir = await tempDir('tripletkit-search-');
  const rng = new Rng(4);
  const classes = ['ant', 'bee', 'cat', 'dog'];
  const n = 60;
  const pixels = new Uint8Array(n * S * S);
  const labels = new Int32Array(n);
  const patterns = classes.map(() => Array.from({ length: S * S }, () => rng.int(256)));
  for (let i = 0; i < n; i++) {
    labels[i] = i % classes.length;
    for (let p = 0; p < S * S; p++)
      pixels[i * S * S + p] = Math.max(0, Math.min(255, patterns[labels[i]][p] + rng.int(121) - 60));
  }
  const schema = imagesSchema({ height: S, width: S, channels: 1, classes, extra: { 'tripletkit.fit': 'cover' } });
  const paths = Array.from(labels, (l, i) => `${classes[l]}/${i}.png`);
  const split = (from: number, to: number) =>
    recordBatch(schema, [
      fixedSizeListData(pixels.slice(from * S * S, to * S * S), S * S),
      int32Data(labels.slice(from, to)),
      utf8Data(paths.slice(from, to)),
    ]);
  await writeArrow(path.join(dir, 'gallery.arrow'), schema, [split(0, 40)]);
  await writeArrow(path.join(dir, 'queries.arrow'), schema, [split(40, 60)]);
  await selectBackend('cpu');
  const model = buildEncoder('small-cnn', { inputShape: [S, S, 1], embeddingDim: 16, seed: 3 });
  await saveModel(model, path.join(dir, 'model'), {
    embeddingDim: 16,
    inputShape: [S, S, 1],
    normalization: { mean: [0.5], std: [0.25] },
    encoder: 'small-cnn',
  });
  // Two loose PNG files with exactly the pixels of gallery rows 5 and 6.
  for (const r of [5, 6]) {
    await sharp(Buffer.from(pixels.subarray(r * S * S, (r + 1) * S * S)), { raw: { width: S, height: S, channels: 1 } })
      .png()
      .toFile(path.join(dir, `copy-${r}.png`));
  }
  return { dir, model };
}

test('tripletkit index + search: k nearest and per-class distances equal brute force; loose files get the model preprocessing', async () => {
  const { dir, model } = await fixture();
  const idx = path.join(dir, 'g.idx.arrow');
  const built = await runCli([
    'index',
    '--model',
    path.join(dir, 'model'),
    '--images',
    path.join(dir, 'gallery.arrow'),
    '-o',
    idx,
    '--backend',
    'cpu',
    '--json',
  ]);
  assert.equal(built.code, 0, built.stderr);
  assert.deepEqual(JSON.parse(built.stdout).classes, ['ant', 'bee', 'cat', 'dog']);
  const r = await runCli([
    'search',
    '--index',
    idx,
    '--query',
    path.join(dir, 'queries.arrow'),
    '-k',
    '4',
    '--by-class',
    '--threshold',
    '1e9',
    '--backend',
    'cpu',
    '--json',
  ]);
  assert.equal(r.code, 0, r.stderr);
  const got = JSON.parse(r.stdout);

  // Brute force: embed both with the library (model normalisation), all distances in float64.
  await embedImages(model, path.join(dir, 'gallery.arrow'), path.join(dir, 'ge.arrow'), {
    normalization: { mean: [0.5], std: [0.25] },
  });
  await embedImages(model, path.join(dir, 'queries.arrow'), path.join(dir, 'qe.arrow'), {
    normalization: { mean: [0.5], std: [0.25] },
  });
  const g = await readEmbeddings(path.join(dir, 'ge.arrow'));
  const q = await readEmbeddings(path.join(dir, 'qe.arrow'));
  const D = g.dim;
  const dist = (a: Float32Array, i: number, b: ArrayLike<number>, j: number) => {
    let s = 0;
    for (let d = 0; d < D; d++) s += (a[i * D + d] - b[j * D + d]) ** 2;
    return Math.sqrt(s);
  };
  assert.equal(got.queries.length, 20);
  for (let i = 0; i < q.rows; i++) {
    const all = Array.from({ length: g.rows }, (_, j) => ({ j, d: dist(q.embeddings, i, g.embeddings, j) })).sort(
      (a, b) => a.d - b.d || a.j - b.j,
    );
    const res = got.queries[i];
    assert.equal(res.class, ['ant', 'bee', 'cat', 'dog'][q.labels[i]]);
    res.neighbors.forEach((n: { path: string; distance: number }, j: number) => {
      assert.ok(Math.abs(n.distance - all[j].d) < 1e-4, `query ${i} neighbour ${j}: ${n.distance} vs ${all[j].d}`);
      assert.equal(n.path, `${['ant', 'bee', 'cat', 'dog'][g.labels[all[j].j]]}/${all[j].j}.png`);
    });
    for (const c of res.classes) {
      const members = all.filter((a) => g.labels[a.j] === c.label);
      assert.ok(Math.abs(c.nearest - members[0].d) < 1e-4);
      const centre = new Float64Array(D);
      for (const m of members) for (let d = 0; d < D; d++) centre[d] += g.embeddings[m.j * D + d] / members.length;
      assert.ok(Math.abs(c.centroid - dist(q.embeddings, i, centre, 0)) < 1e-4);
    }
    assert.equal(res.predicted, res.classes[0].class);
    assert.ok(
      res.classes.every((c: { nearest: number }, j: number) => j === 0 || c.nearest >= res.classes[j - 1].nearest),
    );
  }

  // Loose PNGs holding the pixels of gallery rows 5 and 6: loaded as the model expects, they find themselves at 0.
  const loose = await runCli([
    'search',
    '--index',
    idx,
    '--query',
    path.join(dir, 'copy-5.png'),
    path.join(dir, 'copy-6.png'),
    '-k',
    '1',
    '--by-class',
    '--threshold',
    '0',
    '--backend',
    'cpu',
    '--json',
  ]);
  assert.equal(loose.code, 0, loose.stderr);
  const l = JSON.parse(loose.stdout);
  assert.deepEqual(
    l.queries.map((x: { neighbors: { path: string }[] }) => x.neighbors[0].path),
    ['bee/5.png', 'cat/6.png'],
  );
  assert.ok(
    l.queries.every((x: { neighbors: { distance: number }[]; predicted: string }) => x.neighbors[0].distance < 1e-3),
  );
  for (const x of l.queries) assert.equal(x.predicted, x.classes[0].nearest > 0 ? 'unknown' : x.classes[0].class);

  // A changed model is refused.
  await fs.appendFile(path.join(dir, 'model', 'weights.bin'), Buffer.alloc(4));
  const stale = await runCli(['search', '--index', idx, '--query', path.join(dir, 'copy-5.png'), '--backend', 'cpu']);
  assert.notEqual(stale.code, 0);
  assert.match(stale.stderr, /is not the one .* was built with/);
});
