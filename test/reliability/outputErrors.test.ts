/**
 * Issue 9, item 9 (and the `--max-per-anchor` part of item 10): filesystem errors on outputs are user errors naming
 * the output (not a temp file), found before the work starts; out-of-range option values are usage errors (exit 2).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { Int32 } from 'apache-arrow';
import {
  field,
  fixedSizeListData,
  float32ListType,
  int32Data,
  recordBatch,
  schemaOf,
  writeArrow,
} from '../../packages/common/src/index.ts';
import { quadrant, tmp, writeTree } from '../../packages/loader/test/fixtures.ts';
import { runCli } from '../helpers/cli.ts';

async function embeddings(dir: string): Promise<string> {
  const file = path.join(dir, 'e.arrow');
  const schema = schemaOf([field('embedding', float32ListType(2)), field('label', new Int32())]);
  const v = Float32Array.from({ length: 40 }, (_, i) => Math.sin(i));
  const labels = Int32Array.from({ length: 20 }, (_, i) => i % 3);
  await writeArrow(file, schema, [recordBatch(schema, [fixedSizeListData(v, 2), int32Data(labels)])]);
  return file;
}

const oneSentence = /^tripletkit: [^\n]+\nhint: [^\n]+\n$/;

test('EISDIR / ENOTDIR on outputs: one sentence naming the output, exit 1, before decoding', async () => {
  const dir = await tmp();
  await writeTree(dir, {
    'in/a/1.png': await quadrant(8, 8).png().toBuffer(),
    'in/b/1.png': await quadrant(8, 8).png().toBuffer(),
  });
  const asDir = path.join(dir, 'taken.arrow');
  await fs.mkdir(asDir);
  let r = await runCli(['load', path.join(dir, 'in'), '--size', '8', '-o', asDir]);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, oneSentence);
  assert.match(r.stderr, /Cannot write the output file .*taken\.arrow: a folder is in the way \(EISDIR\)/);
  assert.doesNotMatch(r.stderr, /unexpected|\.tmp-/);

  const e = await embeddings(dir);
  await fs.writeFile(path.join(dir, 'file'), 'x');
  r = await runCli(['mine', '-e', e, '-s', 'all', '-o', path.join(dir, 'file', 'm.arrow')]);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /Cannot write the output file .*file\/m\.arrow: .*\((ENOTDIR|EEXIST)\)/);
  assert.match(r.stderr, oneSentence);

  r = await runCli(['train', '--images', e, '--mining', 'hard', '-o', path.join(dir, 'file')]);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /Cannot write the --out folder .*file: .*\(ENOTDIR\)/);
});

test('EACCES on an output folder is a user error naming the output', async (t) => {
  if (process.getuid?.() === 0) return t.skip('running as root: permissions are not enforced');
  const dir = await tmp();
  const e = await embeddings(dir);
  const ro = path.join(dir, 'ro');
  await fs.mkdir(ro);
  await fs.chmod(ro, 0o555);
  const r = await runCli(['mine', '-e', e, '-s', 'all', '-o', path.join(ro, 'm.arrow')]);
  await fs.chmod(ro, 0o755);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /Cannot write the output file .*ro\/m\.arrow: permission denied \(EACCES\)/);
});

test('--max-per-anchor 1e12 and 0 are usage errors (exit 2)', async () => {
  const dir = await tmp();
  const e = await embeddings(dir);
  for (const k of ['1e12', '0']) {
    const r = await runCli(['mine', '-e', e, '-s', 'all', '--max-per-anchor', k, '-o', path.join(dir, 'm.arrow')]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /Expected an integer from 1 to 100000 for --max-per-anchor but received/);
    assert.doesNotMatch(r.stderr, /unexpected/);
  }
});
