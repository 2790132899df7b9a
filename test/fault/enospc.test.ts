/**
 * Fault injection: a full disk. On a 64 KiB tmpfs (needs root to mount; skipped with a message otherwise) `mine`
 * fails with one sentence naming the output (with and without worker threads), leaves no temp file, and a good file
 * already there is kept.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.ts';
import { withSmallDisk, writeSineEmbeddings } from './helpers/smallDisk.ts';

test('ENOSPC while mining: a user error naming the output, no temp file, the old output kept', (t) =>
  withSmallDisk(t, '64k', async (dir, full) => {
    const e = path.join(dir, 'e.arrow');
    await writeSineEmbeddings(e, 300, 5);
    const out = path.join(full, 'm.arrow');
    await fs.writeFile(out, 'previous good output');
    // On the main thread, and with worker threads handing blocks to the writer.
    for (const workers of ['0', '2']) {
      const r = await runCli(['mine', '-e', e, '-s', 'all', '--workers', workers, '--tile-size', '64', '-o', out]);
      assert.equal(r.code, 1, r.stderr);
      assert.match(
        r.stderr,
        /^tripletkit: Cannot write the output (file )?.*disk\/m\.arrow: the disk is full \(ENOSPC\)\.\nhint: /,
      );
      assert.deepEqual(await fs.readdir(full), ['m.arrow'], `no temp file left (--workers ${workers})`);
      assert.equal(await fs.readFile(out, 'utf8'), 'previous good output');
    }
  }));
