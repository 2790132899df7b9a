/**
 * An output that cannot fit is refused before it is written. On a 256 KiB tmpfs (needs root to mount; skipped with a
 * message otherwise) `mine` of 4,000 rows, every triplet qualifying (16 billion, 298 GiB), fails at once with one
 * sentence naming the output and its size, writes nothing, and keeps the good file already there.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.ts';
import { withSmallDisk, writeSineEmbeddings } from './helpers/smallDisk.ts';

test('an output larger than the free space is refused before any byte is written', (t) =>
  withSmallDisk(t, '256k', async (dir, small) => {
    const e = path.join(dir, 'e.arrow');
    await writeSineEmbeddings(e, 4000, 2);
    const out = path.join(small, 'm.arrow');
    await fs.writeFile(out, 'previous good output');
    for (const workers of ['0', '2']) {
      const r = await runCli(['mine', '-e', e, '-s', 'all', '--margin', '100', '--workers', workers, '-o', out]);
      assert.equal(r.code, 1, r.stderr);
      assert.match(
        r.stderr,
        /^tripletkit: Cannot write the output .*disk\/m\.arrow: its 15,992,000,000 triplets take 297\.9 GiB but only 0\.\d GiB are free there\.\nhint: Cap them with --max-per-anchor/,
      );
      assert.deepEqual(await fs.readdir(small), ['m.arrow'], `nothing written (--workers ${workers})`);
      assert.equal(await fs.readFile(out, 'utf8'), 'previous good output');
    }
    // Capped at one triplet per anchor, the same job (4,000 triplets, 80 KB) fits and is written.
    const capped = await runCli(['mine', '-e', e, '-s', 'all', '--margin', '100', '--max-per-anchor', '1', '-o', out]);
    assert.equal(capped.code, 0, capped.stderr);
    assert.notEqual(await fs.readFile(out, 'utf8'), 'previous good output');
  }));
