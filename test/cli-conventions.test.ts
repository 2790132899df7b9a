import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, test } from 'node:test';
import {
  createProgress,
  field,
  fixedSizeListData,
  float32ListType,
  int32Data,
  int32Type,
  recordBatch,
  schemaOf,
  writeArrow,
} from '../packages/common/src/index.ts';
import { repoRoot, runCli, tempDir } from './helpers/cli.ts';

const dir = await tempDir('tripletkit-conventions-');
after(() => fs.rm(dir, { recursive: true, force: true }));
const emb = path.join(dir, 'emb.arrow');
const n = 40;
const schema = schemaOf([field('embedding', float32ListType(2)), field('label', int32Type())]);
const values = new Float32Array(n * 2).map((_, i) => Math.sin(i));
const labels = Int32Array.from({ length: n }, (_, i) => i % 4);
await writeArrow(emb, schema, [recordBatch(schema, [fixedSizeListData(values, 2), int32Data(labels)])]);

test('usage errors exit 2 and name the flag as typed, whether yargs or a library catches them', async () => {
  const base = ['mine', '-e', emb, '-s', 'all', '-o', path.join(dir, 'x.arrow')];
  const negative = await runCli([...base, '--tile-size', '-3']);
  assert.equal(negative.code, 2, negative.stderr);
  assert.match(negative.stderr, /for --tile-size but received -3/);
  assert.doesNotMatch(negative.stderr, /tileSize/);
  const missing = await runCli([...base, '--tile-size']);
  assert.equal(missing.code, 2, missing.stderr);
  assert.match(missing.stderr, /Expected a number for --tile-size but none was given/);
  assert.doesNotMatch(missing.stderr, /undefined/);
  const unknown = await runCli([...base, '--tile-sise', '4']);
  assert.equal(unknown.code, 2, unknown.stderr);
  assert.match(unknown.stderr, /tile-sise/);
});

test('--json summaries agree: classes is a list of names, classCount a count', async () => {
  const r = await runCli(['mine', '-e', emb, '-s', 'all', '-o', path.join(dir, 'm.arrow'), '--json']);
  assert.equal(r.code, 0, r.stderr);
  const summary = JSON.parse(r.stdout);
  assert.equal(summary.classCount, 4);
  assert.equal(summary.classes, undefined);
});

test('EPIPE: `tripletkit … --json | head -c 1` ends quietly', async () => {
  const main = path.join(repoRoot, 'packages', 'cli', 'src', 'main.ts');
  const args = ['--conditions=source', '--import', 'tsx', main, 'eval', '-e', emb, '--json'];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  child.stdout.once('data', () => child.stdout.destroy()); // the reader goes away after the first chunk
  const code = await new Promise((resolve) => child.on('close', resolve));
  assert.equal(code, 0, stderr);
  assert.doesNotMatch(stderr, /EPIPE|Error/);
});

test('progress: plain lines off a terminal, nothing when off, a callback for library callers', async () => {
  const lines: string[] = [];
  const stream = { isTTY: false, write: (s: string) => lines.push(s) } as unknown as NodeJS.WriteStream;
  const realNow = performance.now.bind(performance);
  let offset = 0;
  performance.now = () => realNow() + offset;
  try {
    const bar = createProgress({ label: 'mine', total: 10, unit: 'anchors', stream });
    bar.update(1);
    assert.equal(lines.length, 0, 'nothing during the first seconds');
    offset = 6000;
    bar.update(5);
    assert.equal(lines.length, 1);
    assert.match(lines[0], /^mine .*50% 5\/10 .*\n$/);
    assert.ok(!lines[0].includes('\r') && !lines[0].includes('\u001b'), 'no control characters');
    const quiet = createProgress({ label: 'x', total: 2, stream, progress: false });
    offset = 20000;
    quiet.update(1);
    assert.equal(lines.length, 1);
    const seen: number[] = [];
    const cb = createProgress({ label: 'x', total: 2, stream, progress: (u) => seen.push(u.done) });
    cb.update(2);
    assert.deepEqual(seen, [2]);
    assert.equal(lines.length, 1);
  } finally {
    performance.now = realNow;
  }
});
