/** The bounded background prefetch: same pixels as a direct gather, transformed once, never more than depth ahead. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BatchPrefetcher } from '../src/data/batchPrefetcher.ts';
import { gatherPixels, readImageSet } from '../src/index.ts';
import { mnistSplit } from './helpers/fixtures.ts';

test('BatchPrefetcher: file and memory sets give the gathered pixels of every step, reading at most 2 steps ahead', async () => {
  const data = await mnistSplit();
  const mem = await readImageSet(data.train, { inMemory: true });
  const file = await readImageSet(data.train, { inMemory: false });
  const steps = Array.from({ length: 6 }, (_, s) => [
    Int32Array.from({ length: 9 }, (_, i) => (s * 37 + i * 11) % mem.rows),
    Int32Array.from([s, s + 1, mem.rows - 1 - s, s]),
  ]);
  const transformed: string[] = [];
  const invert = (pixels: Uint8Array, step: number, part: number) => {
    transformed.push(`${step}/${part}`);
    for (let i = 0; i < pixels.length; i++) pixels[i] = 255 - pixels[i];
  };
  for (const set of [mem, file]) {
    transformed.length = 0;
    const ahead = new BatchPrefetcher(set, steps, invert);
    const pending = (ahead as unknown as { pending: Map<number, unknown> }).pending;
    for (let s = 0; s < steps.length; s++) {
      const got = await ahead.take(s);
      assert.ok(pending.size <= 2, `${pending.size} steps held ahead`);
      if (set.storage === 'file')
        assert.deepEqual(
          [...pending.keys()],
          [s + 1, s + 2].filter((x) => x < steps.length),
        );
      else assert.equal(pending.size, 0);
      got.forEach((pixels, part) => {
        const want = gatherPixels(mem, steps[s][part]).map((v) => 255 - v);
        assert.deepEqual(pixels, want, `${set.storage}: step ${s}, part ${part}`);
      });
    }
    // Each part transformed exactly once, in step order.
    assert.deepEqual(transformed.slice().sort(), steps.flatMap((p, s) => p.map((_, part) => `${s}/${part}`)).sort());
    assert.throws(() => ahead.take(steps.length), /No step 6/);
  }
  await file.close();
});
