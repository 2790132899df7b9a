/**
 * An output that cannot fit is refused before it is written. On a 256 KiB tmpfs (needs root to mount; skipped with a
 * message otherwise) `mine` of 4,000 rows, every triplet qualifying (16 billion, 298 GiB), fails at once with one
 * sentence naming the output and its size, writes nothing, and keeps the good file already there.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
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
import { tmp } from '../../packages/loader/test/fixtures.ts';
import { runCli } from '../helpers/cli.ts';

test('an output larger than the free space is refused before any byte is written', async (t) => {
  if (process.getuid?.() !== 0) return t.skip('output-room test skipped: mounting a small tmpfs needs root');
  const dir = await tmp();
  const small = path.join(dir, 'small');
  await fs.mkdir(small);
  const m = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', small]);
  if (m.status !== 0) return t.skip(`output-room test skipped: cannot mount a tmpfs (${m.stderr.toString().trim()})`);
  try {
    const e = path.join(dir, 'e.arrow');
    const schema = schemaOf([field('embedding', float32ListType(2)), field('label', new Int32())]);
    const n = 4000;
    const v = Float32Array.from({ length: 2 * n }, (_, i) => Math.sin(i * 1.7));
    const labels = Int32Array.from({ length: n }, (_, i) => i % 2);
    await writeArrow(e, schema, [recordBatch(schema, [fixedSizeListData(v, 2), int32Data(labels)])]);
    const out = path.join(small, 'm.arrow');
    await fs.writeFile(out, 'previous good output');
    for (const workers of ['0', '2']) {
      const r = await runCli(['mine', '-e', e, '-s', 'all', '--margin', '100', '--workers', workers, '-o', out]);
      assert.equal(r.code, 1, r.stderr);
      assert.match(
        r.stderr,
        /^tripletkit: Cannot write the output .*small\/m\.arrow: its 15,992,000,000 triplets take 297\.9 GiB but only 0\.\d GiB are free there\.\nhint: Cap them with --max-per-anchor/,
      );
      assert.deepEqual(await fs.readdir(small), ['m.arrow'], `nothing written (--workers ${workers})`);
      assert.equal(await fs.readFile(out, 'utf8'), 'previous good output');
    }
    // Capped at one triplet per anchor, the same job (4,000 triplets, 80 KB) fits and is written.
    const capped = await runCli(['mine', '-e', e, '-s', 'all', '--margin', '100', '--max-per-anchor', '1', '-o', out]);
    assert.equal(capped.code, 0, capped.stderr);
    assert.notEqual(await fs.readFile(out, 'utf8'), 'previous good output');
  } finally {
    spawnSync('umount', [small]);
  }
});
