/**
 * Issue 9, item 2: a corrupt footer in an embeddings or triplets file never aborts the process (it used to allocate
 * gigabytes from a corrupt length): every case ends, within seconds, either read or in a coded one-sentence error.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tmp } from '../../packages/loader/test/fixtures.ts';
import { runFuzz } from '../fault/helpers/runFuzz.ts';

for (const kind of ['embeddings', 'triplets'] as const) {
  test(`corrupt footers of ${kind} files end in a coded error, never an abort`, async () => {
    const dir = await tmp();
    const cases = await runFuzz(dir, kind, 2, 60, { region: 'footer', heapMb: 256, timeoutMs: 90_000 });
    assert.equal(cases.length, 60);
    const bad = cases.filter(
      (c) => c.outcome.startsWith('unexpected') || c.outcome === 'ok: different data' || c.ms > 5000,
    );
    assert.deepEqual(bad, [], 'a corrupt footer ends in a coded error or reads exactly the rows written');
    // A changed byte inside a metadata string (the source path, the mining options) cannot be detected without a
    // checksum; those cases read the same rows (checked above). How many there are depends on the metadata's length
    // (the temp folder's path is part of it), so this only checks that the fuzz does reach the footer's structure.
    const coded = cases.filter((c) => c.format === 'file' && !c.outcome.startsWith('ok'));
    assert.ok(coded.length >= 12, `file-format footer corruptions are detected (${coded.length}/30)`);
  });
}
