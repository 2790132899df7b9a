import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '@tripletkit/common';
import { native } from '../src/decode/native.ts';
import { fitGeometry, resizeRaw } from '../src/decode/resizeRaw.ts';
import type { Fit, Kernel } from '../src/types.ts';

/** Independent float reference: direct (non-separable) evaluation of the antialiased kernel, Pillow's geometry. */
function reference(
  src: Uint8Array,
  w: number,
  h: number,
  c: number,
  outW: number,
  outH: number,
  fit: Fit,
): Float64Array {
  const g = fitGeometry(w, h, outW, outH, fit);
  const out = new Float64Array(outW * outH * c);
  const weights = (inSize: number, outSize: number, o: number) => {
    const scale = inSize / outSize;
    const fs = Math.max(scale, 1);
    const center = (o + 0.5) * scale;
    const ws: [number, number][] = [];
    let sum = 0;
    for (let i = 0; i < inSize; i++) {
      const t = Math.abs((i + 0.5 - center) / fs);
      const wt = t < 1 ? 1 - t : 0;
      if (wt > 0) {
        ws.push([i, wt]);
        sum += wt;
      }
    }
    return ws.map(([i, wt]) => [i, wt / sum] as [number, number]);
  };
  for (let y = 0; y < g.ch; y++) {
    const wy = weights(h, g.rh, y + g.cropY);
    for (let x = 0; x < g.cw; x++) {
      const wx = weights(w, g.rw, x + g.cropX);
      for (let k = 0; k < c; k++) {
        let a = 0;
        for (const [iy, vy] of wy) for (const [ix, vx] of wx) a += vy * vx * src[(iy * w + ix) * c + k];
        out[((y + g.padY) * outW + x + g.padX) * c + k] = a;
      }
    }
  }
  return out;
}

function randomImage(rng: Rng, w: number, h: number, c: number): Uint8Array {
  const px = new Uint8Array(w * h * c);
  // Smooth-ish content plus noise, like real images.
  for (let i = 0; i < px.length; i++) px[i] = (((i * 13) % 200) + rng.int(56)) & 255;
  return px;
}

test('resizeRaw matches a float reference of the antialiased bilinear resize within 1 level (every fit)', () => {
  const rng = new Rng(7);
  const cases: [number, number, number, number, number, Fit][] = [
    [28, 28, 1, 64, 64, 'cover'],
    [50, 37, 3, 22, 22, 'cover'],
    [37, 50, 3, 22, 22, 'contain'],
    [40, 30, 3, 17, 9, 'fill'],
    [9, 13, 1, 30, 20, 'cover'],
  ];
  for (const [w, h, c, ow, oh, fit] of cases) {
    const src = randomImage(rng, w, h, c);
    const out = new Uint8Array(ow * oh * c);
    resizeRaw(src, w, h, c, out, 0, ow, oh, fit, 'linear', false);
    const ref = reference(src, w, h, c, ow, oh, fit);
    for (let i = 0; i < out.length; i++) {
      assert.ok(Math.abs(out[i] - ref[i]) <= 1.01, `${w}x${h}→${ow}x${oh} ${fit}: [${i}] ${out[i]} vs ${ref[i]}`);
    }
  }
});

test('contain pads with black and centres the image; cover crops the centre', () => {
  const g = fitGeometry(100, 50, 40, 40, 'contain');
  assert.deepEqual([g.rw, g.rh, g.padX, g.padY], [40, 20, 0, 10]);
  const c = fitGeometry(100, 50, 40, 40, 'cover');
  assert.deepEqual([c.rw, c.rh, c.cropX, c.cropY], [80, 40, 20, 0]);
  const src = new Uint8Array(100 * 50).fill(200);
  const out = new Uint8Array(40 * 40).fill(7);
  resizeRaw(src, 100, 50, 1, out, 0, 40, 40, 'contain', 'linear');
  assert.equal(out[0], 0); // padding row
  assert.equal(out[20 * 40 + 20], 200); // image
  assert.equal(out[39 * 40 + 39], 0);
});

test('the native resampler gives byte-identical results to the TypeScript one', { skip: !native }, () => {
  const rng = new Rng(3);
  const kernels: Kernel[] = ['nearest', 'linear', 'cubic', 'lanczos3'];
  for (const kernel of kernels) {
    for (const [w, h, c, ow, oh, fit] of [
      [313, 235, 3, 224, 224, 'cover'],
      [28, 28, 1, 64, 64, 'cover'],
      [60, 90, 3, 32, 32, 'contain'],
      [45, 20, 1, 16, 40, 'fill'],
    ] as [number, number, number, number, number, Fit][]) {
      const src = randomImage(rng, w, h, c);
      const a = new Uint8Array(ow * oh * c);
      const b = new Uint8Array(ow * oh * c);
      resizeRaw(src, w, h, c, a, 0, ow, oh, fit, kernel, true);
      resizeRaw(src, w, h, c, b, 0, ow, oh, fit, kernel, false);
      assert.deepEqual(a, b, `${kernel} ${w}x${h}x${c}→${ow}x${oh} ${fit}`);
    }
  }
});

test('EXIF orientations 2–8 in the native helper are the proper rotations and flips', { skip: !native }, () => {
  // 3×2 image, one channel, values 0..5: orientation 6 (rotate 90° clockwise) turns rows into columns.
  const src = Uint8Array.from([0, 1, 2, 3, 4, 5]);
  const turn = (o: number) => {
    const out = new Uint8Array(6);
    native!.orient(src, 3, 2, 1, o, out);
    return Array.from(out);
  };
  assert.deepEqual(turn(2), [2, 1, 0, 5, 4, 3]);
  assert.deepEqual(turn(3), [5, 4, 3, 2, 1, 0]);
  assert.deepEqual(turn(4), [3, 4, 5, 0, 1, 2]);
  assert.deepEqual(turn(5), [0, 3, 1, 4, 2, 5]);
  assert.deepEqual(turn(6), [3, 0, 4, 1, 5, 2]);
  assert.deepEqual(turn(7), [5, 2, 4, 1, 3, 0]);
  assert.deepEqual(turn(8), [2, 5, 1, 4, 0, 3]);
  // Three channels move together.
  const rgb = Uint8Array.from([1, 2, 3, 4, 5, 6]); // 2×1
  const out = new Uint8Array(6);
  native!.orient(rgb, 2, 1, 3, 6, out); // → 1×2
  assert.deepEqual(Array.from(out), [1, 2, 3, 4, 5, 6]);
  native!.orient(rgb, 2, 1, 3, 2, out);
  assert.deepEqual(Array.from(out), [4, 5, 6, 1, 2, 3]);
});
