// Distance layer: values against a float64 direct-difference oracle, and bitwise determinism across tile splits.
// Runs on whichever kernel is active (native when built); kernel.test.ts re-runs these checks with TRIPLETKIT_KERNEL=js.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Rng } from '@tripletkit/common';
import {
  DISTANCE_KINDS,
  type DistanceKind,
  distanceTile,
  isSimilarity,
  kernelInfo,
  l2Normalize,
  squaredNorms,
} from '../src/index.ts';

function randomMatrix(rng: Rng, rows: number, dim: number, scale = 1): Float32Array {
  const x = new Float32Array(rows * dim);
  for (let i = 0; i < x.length; i++) x[i] = (rng.next() * 2 - 1) * scale;
  return x;
}

function wideRange(rng: Rng, rows: number, dim: number): Float32Array {
  const x = randomMatrix(rng, rows, dim);
  for (let i = 0; i < x.length; i++) x[i] *= 2 ** (rng.int(61) - 30);
  return x;
}

/** float64 oracle: direct differences for the Lp kinds (no cancellation), plain dot for cosine. */
function oracle(a: Float32Array, i: number, b: Float32Array, j: number, dim: number, kind: DistanceKind): number {
  let dot = 0;
  let sq = 0;
  for (let k = 0; k < dim; k++) {
    const x = a[i * dim + k];
    const y = b[j * dim + k];
    dot += x * y;
    sq += (x - y) * (x - y);
  }
  if (kind === 'cosine') return dot;
  return kind === 'euclidean' ? Math.sqrt(sq) : sq;
}

function normsOf(x: Float32Array, dim: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < x.length / dim; r++) {
    let s = 0;
    for (let k = 0; k < dim; k++) s += x[r * dim + k] ** 2;
    out.push(s);
  }
  return out;
}

describe(`distanceTile (${kernelInfo().kernel})`, () => {
  const rng = new Rng(1234);
  for (const dim of [1, 3, 64, 129]) {
    for (const [aRows, bRows] of [
      [1, 1],
      [3, 17],
      [17, 3],
      [63, 257],
      [257, 63],
    ]) {
      for (const kind of DISTANCE_KINDS) {
        it(`${kind} ${aRows}×${bRows}, dim ${dim} matches the float64 oracle`, () => {
          const a = randomMatrix(rng, aRows, dim);
          // Some b rows duplicate a rows: distance ≈ 0 is where GEMM-style cancellation bites.
          const b = randomMatrix(rng, bRows, dim, 2);
          for (let j = 0; j < Math.min(aRows, bRows); j += 2) b.set(a.subarray(j * dim, (j + 1) * dim), j * dim);
          const out = new Float32Array(aRows * bRows).fill(Number.NaN);
          distanceTile(a, aRows, b, bRows, dim, kind, out);
          const na = normsOf(a, dim);
          const nb = normsOf(b, dim);
          for (let i = 0; i < aRows; i++) {
            for (let j = 0; j < bRows; j++) {
              const got = out[i * bRows + j];
              const want = oracle(a, i, b, j, dim, kind);
              // float32 GEMM-style error scales with the norms: eps·dim·(‖a‖²+‖b‖²) on squared distances.
              const scale = na[i] + nb[j] + 1e-30;
              const tol = 2e-6 * Math.sqrt(dim + 1) * scale;
              const ok =
                kind === 'euclidean'
                  ? Math.abs(got * got - want * want) <= tol
                  : Math.abs(got - want) <= (kind === 'cosine' ? tol / 2 : tol);
              if (!ok) assert.fail(`(${i}, ${j}): got ${got}, want ${want}`);
              if (kind !== 'cosine') assert.ok(got >= 0, `(${i}, ${j}) is negative: ${got}`);
            }
          }
        });
      }
    }
  }

  for (const kind of DISTANCE_KINDS) {
    for (const dim of [3, 64, 129]) {
      it(`${kind}, dim ${dim}: random tile splits are bitwise identical to one big tile`, () => {
        const split = new Rng(dim * 7 + kind.length);
        const aRows = 203;
        const bRows = 141;
        // Values spanning 2^-30…2^30: sums then lose different low bits in any other summation order, so a kernel
        // path that reorders (or fuses differently) shows up as a bit difference, not just a tolerance miss.
        const a = wideRange(split, aRows, dim);
        const b = wideRange(split, bRows, dim);
        for (let i = 0; i < aRows && dim >= 2; i += 3) {
          // x·X − x·X cancels exactly in order k = 0, 1, …; any other order swallows the small terms first.
          a[i * dim] = 2 ** 40;
          a[i * dim + 1] = -(2 ** 40);
        }
        for (let j = 0; j < bRows && dim >= 2; j++) b.fill(0.75, j * dim, j * dim + 2);
        // Duplicated rows: distances ≈ 0 are pure rounding residue, sensitive to the exact bits of the dot product.
        for (let j = 1; j < bRows; j += 5) b.set(a.subarray(j * dim, (j + 1) * dim), j * dim);
        const whole = new Float32Array(aRows * bRows);
        distanceTile(a, aRows, b, bRows, dim, kind, whole);
        for (let trial = 0; trial < 6; trial++) {
          const stitched = new Float32Array(aRows * bRows).fill(Number.NaN);
          let i0 = 0;
          while (i0 < aRows) {
            const ih = Math.min(aRows - i0, 1 + split.int(trial % 2 ? 40 : 9));
            let j0 = 0;
            while (j0 < bRows) {
              const jw = Math.min(bRows - j0, 1 + split.int(trial % 2 ? 70 : 13));
              const tile = new Float32Array(ih * jw);
              const aView = a.subarray(i0 * dim, (i0 + ih) * dim);
              const bView = b.subarray(j0 * dim, (j0 + jw) * dim);
              // Alternate between supplying norms and letting distanceTile compute them.
              if (trial % 3 === 0) distanceTile(aView, ih, bView, jw, dim, kind, tile);
              else
                distanceTile(aView, ih, bView, jw, dim, kind, tile, squaredNorms(aView, dim), squaredNorms(bView, dim));
              for (let i = 0; i < ih; i++) stitched.set(tile.subarray(i * jw, (i + 1) * jw), (i0 + i) * bRows + j0);
              j0 += jw;
            }
            i0 += ih;
          }
          // Compare bit patterns, not values: -0 vs 0 or a different NaN would be a difference too.
          assert.deepEqual(new Uint32Array(stitched.buffer), new Uint32Array(whole.buffer));
        }
      });
    }
  }

  it('accepts zero rows and does nothing', () => {
    const out = new Float32Array(0);
    distanceTile(new Float32Array(0), 0, new Float32Array(4), 1, 4, 'euclidean', out);
  });

  it('rejects bad arguments with E_ARG', () => {
    const a = new Float32Array(8);
    const out = new Float32Array(4);
    const bad: Array<() => void> = [
      () => distanceTile(a, 2, a, 2, 4, 'manhattan' as DistanceKind, out),
      () => distanceTile(a, 3, a, 2, 4, 'euclidean', out),
      () => distanceTile(a, 2, a, 2, 0, 'euclidean', out),
      () => distanceTile(a, 2, a, 2, 4, 'euclidean', new Float32Array(3)),
      () => distanceTile(a, 2, a, 2, 4, 'euclidean', out, new Float32Array(1)),
      () => distanceTile([1, 2] as unknown as Float32Array, 2, a, 2, 1, 'euclidean', out),
    ];
    for (const f of bad) assert.throws(f, (e: { code?: string }) => e.code === 'E_ARG');
  });

  it('reports its kernel and why the fast one is off', () => {
    const info = kernelInfo();
    assert.equal(typeof info.kernel, 'string');
    if (info.kernel === 'js') assert.match(info.fallbackReason ?? '', /\w/);
    else assert.equal(info.fallbackReason, undefined);
  });
});

describe('helpers', () => {
  it('isSimilarity is true only for cosine', () => {
    assert.deepEqual(
      DISTANCE_KINDS.map((k) => isSimilarity(k)),
      [false, false, true],
    );
  });

  it('l2Normalize divides by the norm and keeps zero rows zero (F.normalize with eps)', () => {
    const x = new Float32Array([3, 4, 0, 0, 1e-30, 0]);
    const y = l2Normalize(x, 2);
    assert.notEqual(y, x);
    assert.deepEqual(Array.from(y.subarray(0, 4)), [Math.fround(0.6), Math.fround(0.8), 0, 0]);
    // Below eps the row is divided by 1e-12, not blown up to unit length (as torch does).
    assert.ok(Math.abs(y[4] - 1e-18) < 1e-24);
    assert.deepEqual(Array.from(x), [3, 4, 0, 0, Math.fround(1e-30), 0]);
  });

  it('squaredNorms sums each row', () => {
    assert.deepEqual(Array.from(squaredNorms(new Float32Array([3, 4, 1, 2]), 2)), [25, 5]);
    assert.throws(
      () => squaredNorms(new Float32Array(3), 2),
      (e: { code?: string }) => e.code === 'E_ARG',
    );
  });
});
