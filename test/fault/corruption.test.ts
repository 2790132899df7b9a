/**
 * Fault injection: seeded corruption of every byte region (header, schema, body, footer; file and stream format) of
 * images, embeddings and triplets files. 500 cases per kind run through the library readers in a child process with a
 * small heap (an abort would end it), and a sample through the CLI checks exit codes and messages. Every case ends
 * within seconds, either read (a changed pixel or float value cannot be detected without a checksum) or in a coded,
 * one-sentence error — never an abort, a hang or an "unexpected error".
 */
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { Rng } from '../../packages/common/src/index.ts';
import { tmp } from '../../packages/loader/test/fixtures.ts';
import { runCli } from '../helpers/cli.ts';
import { type FileKind, mutate, regionsOf, writeGoodFiles } from './helpers/corruption.ts';
import { runFuzz } from './helpers/runFuzz.ts';

const CASES = 500;

for (const kind of ['images', 'embeddings', 'triplets'] as const) {
  test(`${CASES} seeded corruptions of ${kind} files: zero aborts, zero hangs, coded errors`, async () => {
    const dir = await tmp();
    const cases = await runFuzz(dir, kind, 9, CASES, { heapMb: 384, timeoutMs: 240_000 });
    assert.equal(cases.length, CASES);
    const unexpected = cases.filter((c) => c.outcome.startsWith('unexpected'));
    assert.deepEqual(unexpected, [], 'every failure is a TripletkitError with one sentence');
    const slow = cases.filter((c) => c.ms > 5000);
    assert.deepEqual(slow, [], 'every case ends within 5 s');
    for (const region of ['header', 'schema', 'body', 'footer']) {
      const n = cases.filter((c) => c.region === region).length;
      assert.ok(n >= 60, `region ${region} has ${n} cases`);
    }
    const detected = cases.filter((c) => !c.outcome.startsWith('ok')).length;
    assert.ok(detected > CASES * 0.6, `most corruptions are detected (${detected}/${CASES})`);
  });
}

/** The CLI command that reads a file of `kind` (and what it writes). */
function cliFor(kind: FileKind, file: string, files: Record<string, string>, out: string): string[] {
  if (kind === 'embeddings') return ['mine', '-e', file, '-s', 'all', '-o', out];
  if (kind === 'triplets') {
    return ['train', '--images', files['images.file'], '--triplets', file, '-o', out, '--epochs', '1'];
  }
  return ['train', '--images', file, '--mining', 'hard', '-o', out, '--epochs', '1', '--steps-per-epoch', '1'];
}

test('a sample of corruptions through the CLI: exit 1 and one sentence, or success; no output, no temp file', async () => {
  const dir = await tmp();
  const files = await writeGoodFiles(dir);
  const rng = new Rng(11);
  const runs: Promise<void>[] = [];
  const check = async (kind: FileKind, i: number) => {
    const good = await fs.readFile(files[`${kind}.${i % 2 ? 'stream' : 'file'}`]);
    const regions = regionsOf(good);
    const names = Object.keys(regions) as (keyof typeof regions)[];
    const region = names[i % names.length];
    const { bytes, how } = mutate(good, regions[region]!, rng);
    const file = path.join(dir, `cli-${kind}-${i}.arrow`);
    await fs.writeFile(file, bytes);
    const out = path.join(dir, `out-${kind}-${i}`);
    const r = await runCli(cliFor(kind, file, files, kind === 'embeddings' ? `${out}.arrow` : out));
    const where = `${kind} ${region} ${how}: ${r.stderr}`;
    assert.doesNotMatch(r.stderr, /unexpected error|FATAL|Abort/, where);
    if (r.code !== 0) {
      assert.equal(r.code, 1, where);
      // Notes (the backend chosen) may come first; the error itself is one sentence and a hint, and ends the output.
      const error = r.stderr.slice(r.stderr.indexOf('tripletkit: '));
      assert.match(error, /^tripletkit: [^\n]+\n(hint: [^\n]+\n)?$/, where);
      await assert.rejects(fs.stat(`${out}.arrow`), where);
    }
  };
  // Mining reads embeddings; training reads images and triplets: 4 + 2 + 4 runs, 2 at a time.
  const plan: [FileKind, number][] = [];
  for (let i = 0; i < 4; i++) plan.push(['embeddings', i], ['triplets', i]);
  plan.push(['images', 0], ['images', 1]);
  for (let i = 0; i < plan.length; i += 2) {
    runs.length = 0;
    for (const [kind, n] of plan.slice(i, i + 2)) runs.push(check(kind, n));
    await Promise.all(runs);
  }
  const left = (await fs.readdir(dir)).filter((f) => f.includes('.tmp-'));
  assert.deepEqual(left, []);
});
