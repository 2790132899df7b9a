/**
 * `tripletkit train` and `tripletkit embed` end to end through the CLI, on a tiny real MNIST file.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { before, test } from 'node:test';
import { openArrow } from '../packages/common/src/index.ts';
import { tensorflowInstalled } from '../packages/trainer/test/helpers/backends.ts';
import { mnistDigits, writeDigits } from '../packages/trainer/test/helpers/mnistImages.ts';
import { runCli, tempDir } from './helpers/cli.ts';

let dir: string;
before(async () => {
  dir = await tempDir();
  await writeDigits(path.join(dir, 'train.arrow'), mnistDigits(0, 200));
  await writeDigits(path.join(dir, 'val.arrow'), mnistDigits(200, 60));
});

test('train (online, --json) then embed writes a contract embeddings file', async () => {
  const run = path.join(dir, 'run');
  const t = await runCli([
    'train',
    '--images',
    path.join(dir, 'train.arrow'),
    '--val',
    path.join(dir, 'val.arrow'),
    '--mining',
    'semi-hard',
    '-o',
    run,
    '--epochs',
    '1',
    '--p',
    '8',
    '--k',
    '4',
    '--json',
  ]);
  assert.equal(t.code, 0, t.stderr);
  const result = JSON.parse(t.stdout);
  assert.equal(result.mode, 'online');
  assert.equal(result.epochs.length, 1);
  assert.ok(result.bestPrecisionAt1 > 0.3);
  assert.match(t.stderr, /backend: (wasm|tensorflow|cpu)/);

  const out = path.join(dir, 'emb.arrow');
  const e = await runCli(['embed', '--model', run, '--images', path.join(dir, 'val.arrow'), '-o', out, '--json']);
  assert.equal(e.code, 0, e.stderr);
  assert.deepEqual(JSON.parse(e.stdout).rows, 60);
  const src = await openArrow(out);
  assert.equal(src.metadata['tripletkit.kind'], 'embeddings');
  assert.deepEqual(
    src.schema.fields.map((f) => f.name),
    ['embedding', 'label', 'path'],
  );
  let rows = 0;
  for await (const b of src.batches()) rows += b.numRows;
  await src.close();
  assert.equal(rows, 60);
});

test('--backend tensorflow: trains where installed, else names the install command; bad options fail clearly', async () => {
  const r = await runCli([
    'train',
    '--images',
    path.join(dir, 'train.arrow'),
    '--mining',
    'hard',
    '-o',
    path.join(dir, 'x'),
    '--backend',
    'tensorflow',
    '--epochs',
    '1',
    '--steps-per-epoch',
    '2',
  ]);
  if (tensorflowInstalled()) {
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /backend: tensorflow \(@tensorflow\/tfjs-node(-gpu)?, libtensorflow [\d.]+, (CPU|CUDA)\)/);
  } else {
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /pnpm tensorflow:install/);
    assert.match(r.stderr, /--backend wasm/);
  }
  const both = await runCli(['train', '--images', path.join(dir, 'train.arrow'), '-o', path.join(dir, 'y')]);
  assert.notEqual(both.code, 0);
  assert.match(both.stderr, /exactly one of --triplets \(offline\) and --mining \(online\)/);
  const missing = await runCli([
    'embed',
    '--model',
    path.join(dir, 'nope'),
    '--images',
    path.join(dir, 'val.arrow'),
    '-o',
    path.join(dir, 'z.arrow'),
  ]);
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr, /does not exist/);
});
