/** Shared test data: a tiny real MNIST split written once per test file, and a triplets-file writer. */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  field,
  float32Data,
  float32Type,
  int32Data,
  int32Type,
  recordBatch,
  schemaOf,
  writeArrow,
} from '@tripletkit/common';
import { mnistDigits, writeDigits } from './mnistImages.ts';

export async function tempDir(): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), 'tripletkit-trainer-'));
}

/** 500 training and 200 validation digits (disjoint), as images files in a fresh folder. */
export async function mnistSplit(train = 500, val = 200): Promise<{ dir: string; train: string; val: string }> {
  const dir = await tempDir();
  const t = path.join(dir, 'train.arrow');
  const v = path.join(dir, 'val.arrow');
  await writeDigits(t, mnistDigits(0, train));
  await writeDigits(v, mnistDigits(train, val));
  return { dir, train: t, val: v };
}

/** A triplets file per docs/formats.md. */
export async function writeTriplets(
  file: string,
  t: { anchors: Int32Array; positives: Int32Array; negatives: Int32Array; dAp?: Float32Array; dAn?: Float32Array },
  meta: Record<string, string> = {},
): Promise<void> {
  const n = t.anchors.length;
  const schema = schemaOf(
    [
      field('anchor', int32Type()),
      field('positive', int32Type()),
      field('negative', int32Type()),
      field('d_ap', float32Type()),
      field('d_an', float32Type()),
    ],
    { 'tripletkit.kind': 'triplets', 'tripletkit.strategy': 'semi-hard', 'tripletkit.margin': '0.2', ...meta },
  );
  await writeArrow(file, schema, [
    recordBatch(schema, [
      int32Data(t.anchors),
      int32Data(t.positives),
      int32Data(t.negatives),
      float32Data(t.dAp ?? new Float32Array(n)),
      float32Data(t.dAn ?? new Float32Array(n)),
    ]),
  ]);
}
