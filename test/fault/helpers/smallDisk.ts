/**
 * Set-up shared by the disk-space fault tests: a tiny tmpfs (root only) and a 2-D embeddings file whose every triplet
 * count is known from its size.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { Int32 } from 'apache-arrow';
import {
  field,
  fixedSizeListData,
  float32ListType,
  int32Data,
  recordBatch,
  schemaOf,
  writeArrow,
} from '../../../packages/common/src/index.ts';
import { tmp } from '../../../packages/loader/test/fixtures.ts';

/**
 * Runs `body` with a fresh temp folder and a `size` tmpfs mounted in it (unmounted after); skips the test when not
 * root or when mounting fails.
 */
export async function withSmallDisk(
  t: TestContext,
  size: string,
  body: (dir: string, disk: string) => Promise<void>,
): Promise<void> {
  if (process.getuid?.() !== 0) return t.skip('skipped: mounting a small tmpfs needs root');
  const dir = await tmp();
  const disk = path.join(dir, 'disk');
  await fs.mkdir(disk);
  const m = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', disk]);
  if (m.status !== 0) return t.skip(`skipped: cannot mount a tmpfs (${m.stderr.toString().trim()})`);
  try {
    await body(dir, disk);
  } finally {
    spawnSync('umount', [disk]);
  }
}

/** Writes `n` 2-D embeddings (sin(1.7 i)), labels i mod `classes`, to `file`. */
export async function writeSineEmbeddings(file: string, n: number, classes: number): Promise<void> {
  const schema = schemaOf([field('embedding', float32ListType(2)), field('label', new Int32())]);
  const v = Float32Array.from({ length: 2 * n }, (_, i) => Math.sin(i * 1.7));
  const labels = Int32Array.from({ length: n }, (_, i) => i % classes);
  await writeArrow(file, schema, [recordBatch(schema, [fixedSizeListData(v, 2), int32Data(labels)])]);
}
