/**
 * Sharding on real schedulers (issue 11): n local processes per scheduler with its array-job variables set
 * (Kubernetes Indexed Jobs, Slurm job arrays, AWS Batch array jobs) write NAME-part-i-of-n files whose rows, read
 * back as one dataset, equal a single run's; and every command that reads files takes a folder or glob of parts.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { before, test } from 'node:test';
import {
  field,
  fixedSizeListData,
  float32ListType,
  int32Data,
  openArrowDataset,
  recordBatch,
  schemaOf,
  writeArrow,
} from '../packages/common/src/index.ts';
import { openImages } from '../packages/loader/src/index.ts';
import { mnistDigits } from '../packages/trainer/test/helpers/mnistImages.ts';
import { type CliResult, runCli, tempDir } from './helpers/cli.ts';

let dir: string;
const N = 120;
before(async () => {
  dir = await tempDir();
  // Fashion-MNIST-style IDX pair of 120 real digits, the input of `load --idx`.
  const d = mnistDigits(0, N);
  const head = (magic: number, dims: number[]) => {
    const b = Buffer.alloc(4 + 4 * dims.length);
    b.writeUInt32BE(magic, 0);
    for (const [i, x] of dims.entries()) b.writeUInt32BE(x, 4 + 4 * i);
    return b;
  };
  await fs.writeFile(path.join(dir, 'img-idx3-ubyte'), Buffer.concat([head(0x803, [N, 28, 28]), d.pixels]));
  await fs.writeFile(path.join(dir, 'lab-idx1-ubyte'), Buffer.concat([head(0x801, [N]), Uint8Array.from(d.labels)]));
});

const at = (...p: string[]) => path.join(dir, ...p);
const ok = (r: CliResult) => assert.equal(r.code, 0, r.stderr);

/** Every column of a dataset (file, folder or glob) as plain arrays, plus its row count. */
async function columns(input: string): Promise<Record<string, unknown[]>> {
  const src = await openArrowDataset(input);
  const out: Record<string, unknown[]> = {};
  for (const f of src.schema.fields) out[f.name] = [];
  for await (const b of src.batches()) {
    for (const f of src.schema.fields) {
      const v = b.getChild(f.name);
      for (let i = 0; i < b.numRows; i++) {
        const x = v?.get(i);
        out[f.name].push(
          x && typeof x === 'object' && 'toArray' in x ? Array.from(x.toArray() as ArrayLike<number>) : x,
        );
      }
    }
  }
  await src.close();
  return out;
}

/** Runs `args` as `n` processes, shard i with `env(i)`, all at once. */
function shards(n: number, env: (i: number) => Record<string, string>, args: string[]): Promise<CliResult[]> {
  return Promise.all(Array.from({ length: n }, (_, i) => runCli(args, { env: env(i) })));
}

const SCHEDULERS = {
  kubernetes: {
    env: (i: number) => ({ JOB_COMPLETION_INDEX: String(i) }),
    args: ['--shards', '3'],
    says: /Kubernetes Indexed Job/,
  },
  slurm: {
    // Array ids need not start at 0: --array=4-6.
    env: (i: number) => ({
      SLURM_ARRAY_TASK_ID: String(4 + i),
      SLURM_ARRAY_TASK_MIN: '4',
      SLURM_ARRAY_TASK_COUNT: '3',
    }),
    args: [],
    says: /Slurm job array/,
  },
  aws: {
    env: (i: number) => ({ AWS_BATCH_JOB_ARRAY_INDEX: String(i), AWS_BATCH_JOB_ARRAY_SIZE: '3' }),
    args: [],
    says: /AWS Batch array job/,
  },
};

test('load --shard auto: each Slurm array task writes one part; the folder of parts reads as the single run', async () => {
  const src = ['load', '--idx', at('img-idx3-ubyte'), at('lab-idx1-ubyte'), '--batch-rows', '32'];
  const [single, runs] = await Promise.all([
    runCli([...src, '-o', at('images.arrow')]),
    shards(3, SCHEDULERS.slurm.env, [...src, '--shard', 'auto', '-o', at('images', 'images.arrow')]),
  ]);
  ok(single);
  for (const r of runs) ok(r);
  for (const [i, r] of runs.entries()) {
    assert.match(r.stderr, new RegExp(`shard ${i}/3 from Slurm job array.*images-part-0000${i}-of-00003\\.arrow`));
  }
  assert.deepEqual(
    (await fs.readdir(at('images'))).sort(),
    [0, 1, 2].map((i) => `images-part-0000${i}-of-00003.arrow`),
  );
  const one = await openImages(at('images.arrow'));
  const parts = await openImages(at('images'));
  assert.equal(parts.numRows, N);
  assert.deepEqual(parts.classes, one.classes);
  assert.deepEqual(await parts.labels(), await one.labels());
  assert.deepEqual(await parts.paths(), await one.paths());
  const rows = [119, 0, 40, 39, 41, 80, 79, 7];
  assert.deepEqual(await parts.readRows(rows), await one.readRows(rows));
  const all = Array.from({ length: N }, (_, i) => i);
  assert.deepEqual(await parts.readRows(all), await one.readRows(all));
  await one.close();
  await parts.close();
  // Same rows through a glob of the parts.
  assert.deepEqual(await columns(at('images', 'images-part-*.arrow')), await columns(at('images.arrow')));
});

async function writeEmbeddings(file: string, from: number, to: number) {
  const dim = 8;
  const emb = new Float32Array((to - from) * dim).map(
    (_, i) => Math.sin((from * dim + i) * 0.37) + ((from * dim + i) % 5) * 0.1,
  );
  const labels = Int32Array.from({ length: to - from }, (_, i) => (from + i) % 4);
  const schema = schemaOf([field('embedding', float32ListType(dim)), field('label', int32Data(labels).type)], {});
  await writeArrow(file, schema, [recordBatch(schema, [fixedSizeListData(emb, dim), int32Data(labels)])]);
}

test('mine --shard auto under each scheduler: the parts concatenate to the single run; mistakes are named', async () => {
  await writeEmbeddings(at('emb.arrow'), 0, 90);
  const base = ['mine', '-e', at('emb.arrow'), '-s', 'semi-hard', '--tile-size', '16'];
  // Every run is independent: all of them at once (the test's time is process start-up, not mining).
  const schedulers = Object.entries(SCHEDULERS);
  const [first, sharded, noCount, none, past] = await Promise.all([
    runCli([...base, '-o', at('mined.arrow')]),
    Promise.all(
      schedulers.map(([name, s]) =>
        shards(3, s.env, [...base, '--shard', 'auto', ...s.args, '-o', at(`mined-${name}`, 'mined.arrow')]),
      ),
    ),
    runCli([...base, '--shard', 'auto', '-o', at('x1.arrow')], { env: { JOB_COMPLETION_INDEX: '1' } }),
    runCli([...base, '--shard', 'auto', '-o', at('x2.arrow')]),
    runCli([...base, '--shard', 'auto', '-o', at('x3.arrow')], {
      env: { AWS_BATCH_JOB_ARRAY_INDEX: '3', AWS_BATCH_JOB_ARRAY_SIZE: '3' },
    }),
  ]);
  ok(first);
  const single = await columns(at('mined.arrow'));
  assert.ok(single.anchor.length > 1000);
  for (const [k, [name, s]] of schedulers.entries()) {
    for (const r of sharded[k]) ok(r);
    for (const r of sharded[k]) assert.match(r.stderr, s.says);
    assert.deepEqual(await columns(at(`mined-${name}`)), single, name);
  }
  assert.notEqual(noCount.code, 0);
  assert.match(noCount.stderr, /--shards N/);
  assert.notEqual(none.code, 0);
  assert.match(none.stderr, /found no array-job variables/);
  assert.notEqual(past.code, 0);
  assert.match(past.stderr, /shard 3 of 3, which does not exist/);
  for (const f of ['x1.arrow', 'x2.arrow', 'x3.arrow']) await assert.rejects(fs.stat(at(f)));
});

test('mine reads embeddings parts (glob), mines a part of anchors against all parts (--reference folder), and names a missing part', async () => {
  await fs.mkdir(at('emb-parts'), { recursive: true });
  await writeEmbeddings(at('emb-parts', 'emb-part-00000-of-00002.arrow'), 0, 50);
  await writeEmbeddings(at('emb-parts', 'emb-part-00001-of-00002.arrow'), 50, 90);
  await writeEmbeddings(at('emb-second.arrow'), 50, 90);
  const m = ['-s', 'semi-hard', '--tile-size', '16'];
  const runs = await Promise.all([
    runCli(['mine', '-e', at('emb-parts', 'emb-part-*.arrow'), ...m, '-o', at('glob.arrow')]),
    runCli(['mine', '-e', at('emb-second.arrow'), '-r', at('emb-parts'), ...m, '-o', at('ref-parts.arrow')]),
    runCli(['mine', '-e', at('emb-second.arrow'), '-r', at('emb.arrow'), ...m, '-o', at('ref-one.arrow')]),
  ]);
  for (const r of runs) ok(r);
  assert.deepEqual(await columns(at('glob.arrow')), await columns(at('mined.arrow')));
  const viaParts = await columns(at('ref-parts.arrow'));
  assert.ok(viaParts.anchor.length > 100);
  assert.deepEqual(viaParts, await columns(at('ref-one.arrow')));
  await fs.rm(at('emb-parts', 'emb-part-00001-of-00002.arrow'));
  const missing = await runCli(['mine', '-e', at('emb-parts'), ...m, '-o', at('never.arrow')]);
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr, /lacks part 1 of 2 \(emb-part-00001-of-00002\.arrow\)/);
  await assert.rejects(fs.stat(at('never.arrow')));
});

test('train, embed --shard auto (Kubernetes) and eval on folders of parts equal the single-file runs', async () => {
  const run = at('run');
  // One worker thread: the parts are what is tested here (data-parallel training is tested in the trainer).
  const train = ['train', '--epochs', '1', '--p', '5', '--k', '4', '--workers', '1', '--json'];
  const t = await runCli([...train, '--images', at('images'), '--mining', 'semi-hard', '-o', run]);
  ok(t);
  assert.equal(JSON.parse(t.stdout).mode, 'online');
  const embed = ['embed', '--model', run, '--batch-size', '16'];
  const [embedOne, runs] = await Promise.all([
    runCli([...embed, '--images', at('images.arrow'), '-o', at('emb-one.arrow')]),
    shards(2, SCHEDULERS.kubernetes.env, [
      ...embed,
      '--images',
      at('images'),
      '--shard',
      'auto',
      '--shards',
      '2',
      '-o',
      at('emb-k8s', 'emb.arrow'),
    ]),
  ]);
  ok(embedOne);
  for (const r of runs) ok(r);
  const one = await columns(at('emb-one.arrow'));
  assert.equal(one.label.length, N);
  assert.deepEqual(await columns(at('emb-k8s')), one);
  const [e1, e2] = await Promise.all([
    runCli(['eval', '--embeddings', at('emb-one.arrow'), '--json']),
    runCli(['eval', '--embeddings', at('emb-k8s'), '--json']),
  ]);
  ok(e1);
  ok(e2);
  assert.deepEqual(JSON.parse(e2.stdout).overall, JSON.parse(e1.stdout).overall);
  // Offline training on image parts with triplet parts mined by an AWS Batch array.
  const mined = await shards(3, SCHEDULERS.aws.env, [
    'mine',
    '-e',
    at('emb-k8s'),
    '-s',
    'all',
    '--max-per-anchor',
    '4',
    '--shard',
    'auto',
    '-o',
    at('triplets', 'mined.arrow'),
  ]);
  for (const r of mined) ok(r);
  const off = await runCli([...train, '--images', at('images'), '--triplets', at('triplets'), '-o', at('run-offline')]);
  ok(off);
  assert.equal(JSON.parse(off.stdout).mode, 'offline');
});
