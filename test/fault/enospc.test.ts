/**
 * Fault injection: a full disk. On a 64 KiB tmpfs (needs root to mount; skipped with a message otherwise) `mine`
 * fails with one sentence naming the output (with and without worker threads), leaves no temp file, and a good file already there is kept.
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

test('ENOSPC while mining: a user error naming the output, no temp file, the old output kept', async (t) => {
  if (process.getuid?.() !== 0) return t.skip('ENOSPC test skipped: mounting a small tmpfs needs root');
  const dir = await tmp();
  const full = path.join(dir, 'full');
  await fs.mkdir(full);
  const m = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', full]);
  if (m.status !== 0) return t.skip(`ENOSPC test skipped: cannot mount a tmpfs (${m.stderr.toString().trim()})`);
  try {
    const e = path.join(dir, 'e.arrow');
    const schema = schemaOf([field('embedding', float32ListType(2)), field('label', new Int32())]);
    const n = 300;
    const v = Float32Array.from({ length: 2 * n }, (_, i) => Math.sin(i * 1.7));
    const labels = Int32Array.from({ length: n }, (_, i) => i % 5);
    await writeArrow(e, schema, [recordBatch(schema, [fixedSizeListData(v, 2), int32Data(labels)])]);
    const out = path.join(full, 'm.arrow');
    await fs.writeFile(out, 'previous good output');
    // On the main thread, and with worker threads handing blocks to the writer.
    for (const workers of ['0', '2']) {
      const r = await runCli(['mine', '-e', e, '-s', 'all', '--workers', workers, '--tile-size', '64', '-o', out]);
      assert.equal(r.code, 1, r.stderr);
      assert.match(
        r.stderr,
        /^tripletkit: Cannot write the output (file )?.*full\/m\.arrow: the disk is full \(ENOSPC\)\.\nhint: /,
      );
      assert.deepEqual(await fs.readdir(full), ['m.arrow'], `no temp file left (--workers ${workers})`);
      assert.equal(await fs.readFile(out, 'utf8'), 'previous good output');
    }
  } finally {
    spawnSync('umount', [full]);
  }
});
