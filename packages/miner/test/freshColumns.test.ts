// Large result columns ask for transparent huge pages (native/src/pages.c): the advice must be taken where the kernel
// offers THP, must not change what the arrays hold, and must leave small arrays (and builds without it) alone.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import { freshFloat32, freshInt32 } from '../src/core/freshColumns.ts';
import { allocTriplets } from '../src/core/pendingBlock.ts';
import { nativeAddon } from '../src/distances/distanceTile.ts';
import { mine } from '../src/index.ts';

const thp = (() => {
  try {
    return !/\[never\]/.test(fs.readFileSync('/sys/kernel/mm/transparent_hugepage/enabled', 'utf8'));
  } catch {
    return false;
  }
})();

describe('fresh result columns', () => {
  it('are zeroed arrays of the asked length, large or small', () => {
    for (const n of [0, 5, 3 << 20]) {
      const a = freshInt32(n);
      const f = freshFloat32(n);
      assert.ok(a instanceof Int32Array && f instanceof Float32Array);
      assert.equal(a.length, n);
      assert.equal(f.length, n);
      assert.equal(a.buffer.byteLength, 4 * n);
      assert.ok(a.every((x) => x === 0) && f.every((x) => x === 0));
    }
    const t = allocTriplets(3 << 20);
    assert.deepEqual(
      Object.values(t).map((c) => c.length),
      [3 << 20, 3 << 20, 3 << 20, 3 << 20, 3 << 20],
    );
  });

  it('takes huge-page advice for memory spanning a 2 MiB page, and none for less', {
    skip: !nativeAddon?.adviseHugePages,
  }, () => {
    const advise = nativeAddon?.adviseHugePages?.bind(nativeAddon);
    assert.ok(advise);
    assert.equal(advise(new Int32Array(1000)), false);
    assert.equal(advise(new Float32Array(4 << 20)), process.platform === 'linux' && thp);
    assert.equal(advise('not an array' as unknown as Int32Array), false);
  });

  it('leave mine() results bit-identical to small-array results', () => {
    // Enough triplets for 8 MiB columns: the huge-page path, against the same job cut so each block is small.
    const n = 240;
    const dim = 8;
    const emb = new Float32Array(n * dim).map(
      (_, i) => Math.sin(i * 12.9898) * 43758.5453 - Math.floor(Math.sin(i * 12.9898) * 43758.5453),
    );
    const labels = Int32Array.from({ length: n }, (_, i) => i % 4);
    const whole = mine(emb, dim, labels, { strategy: 'all', margin: 10, workers: 0 });
    assert.ok(whole.anchors.byteLength >= 8 << 20, `only ${whole.anchors.length} triplets`);
    const parts = [0, 1, 2, 3].map((index) =>
      mine(emb, dim, labels, { strategy: 'all', margin: 10, workers: 0, shard: { index, count: 4 } }),
    );
    for (const k of ['anchors', 'positives', 'negatives', 'dAp', 'dAn'] as const) {
      const joined = Buffer.concat(parts.map((p) => Buffer.from(p[k].buffer, p[k].byteOffset, p[k].byteLength)));
      assert.ok(joined.equals(Buffer.from(whole[k].buffer)), k);
    }
  });
});
