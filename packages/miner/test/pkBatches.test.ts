import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { pkBatches } from '../src/sampling/index.ts';

function labelsFrom(sizes: number[]): Int32Array {
  const out: number[] = [];
  sizes.forEach((n, c) => {
    for (let i = 0; i < n; i++) out.push(c * 7 + 3); // non-contiguous label values
  });
  // Interleave so class members are not contiguous.
  const idx = out.map((_, i) => i).sort((a, b) => ((a * 7919) % out.length) - ((b * 7919) % out.length) || a - b);
  return Int32Array.from(idx.map((i) => out[i]));
}

test('pkBatches: P distinct classes × K images, every image visited, deterministic per (seed, epoch)', () => {
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 2, maxLength: 8 }),
      fc.integer({ min: 1, max: 4 }),
      fc.integer({ min: 1, max: 5 }),
      fc.nat(1000),
      (sizes, pWanted, k, seed) => {
        const labels = labelsFrom(sizes);
        const p = Math.min(pWanted, sizes.length);
        const batches = pkBatches(labels, { p, k, seed, epoch: 2 });
        const seen = new Uint8Array(labels.length);
        for (const b of batches) {
          assert.equal(b.length, p * k);
          const classes = new Set<number>();
          for (let s = 0; s < p; s++) {
            const lab = labels[b[s * k]];
            for (let t = 0; t < k; t++) {
              assert.equal(labels[b[s * k + t]], lab, 'a K-group mixes classes');
              seen[b[s * k + t]] = 1;
            }
            classes.add(lab);
          }
          assert.equal(classes.size, p, 'classes in a batch are not distinct');
        }
        assert.ok(
          seen.every((v) => v === 1),
          'an image was never visited',
        );
        // Enough batches to visit every image, and not wildly more.
        const groups = sizes.reduce((s, n) => s + Math.ceil(n / k), 0);
        assert.ok(batches.length >= Math.ceil(groups / p) && batches.length <= groups);
        assert.deepEqual(pkBatches(labels, { p, k, seed, epoch: 2 }), batches);
      },
    ),
    { numRuns: 200 },
  );
});

test('pkBatches: different epochs give different orders; classes smaller than K are filled with replacement', () => {
  const labels = labelsFrom([20, 20, 20, 20, 1]);
  const a = pkBatches(labels, { p: 2, k: 4, seed: 5, epoch: 0 });
  const b = pkBatches(labels, { p: 2, k: 4, seed: 5, epoch: 1 });
  assert.notDeepEqual(a, b);
  const single = labels.findIndex((l) => l === 4 * 7 + 3);
  const withSingle = a.find((batch) => batch.includes(single));
  assert.ok(withSingle);
  assert.equal(withSingle.filter((i) => i === single).length, 4);
});

test('pkBatches: rejects P larger than the number of classes', () => {
  assert.throws(
    () => pkBatches(Int32Array.from([0, 0, 1, 1]), { p: 3, k: 2 }),
    /Expected at most the number of classes \(2\) for p/,
  );
});
