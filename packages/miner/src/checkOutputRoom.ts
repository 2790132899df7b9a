/**
 * Whether a triplets file fits on its disk, decided before anything is written. An uncapped strategy on an untrained
 * model qualifies most triplets: 10k rows of 10 classes can form billions of semi-hard triplets, hundreds of GB. Such
 * a run would write until the disk is full and only then fail (ENOSPC, nothing kept) — after minutes, with the disk
 * full for everything else meanwhile. So when the options allow a large output, its size is estimated from the first
 * anchor block, and when the estimate comes near the free space it is counted exactly (mining without writing, far
 * cheaper than the write); a file that cannot fit is refused with one sentence before the first byte.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { TripletkitError } from '@tripletkit/common';
import type { PendingBlock } from './core/pendingBlock.ts';

/** Bytes per triplet in a triplets file: three int32 row indices and two float32 distances. */
export const TRIPLET_BYTES = 20;

/** Outputs the options keep under this size are not checked: a full disk is then found by the write itself. */
const CHECK_FROM = 2 ** 30;

/** Mines the job's blocks (counted, not written) with these settings. */
export type CountBlocks = (settings: {
  workers?: number;
  onProgress?: (done: number, total: number) => void;
}) => AsyncIterable<PendingBlock>;

/**
 * The most triplets one anchor can form: `positives` × `negatives`, less under the caps.
 *
 * @example
 * tripletBound(99, 900, { maxPerAnchor: 10 }); // 10
 */
export function tripletBound(
  positives: number,
  negatives: number,
  caps: { maxPerAnchor?: number; negativesPerPair?: number },
): number {
  let n = positives * Math.min(negatives, caps.negativesPerPair ?? negatives);
  if (caps.maxPerAnchor !== undefined) n = Math.min(n, caps.maxPerAnchor);
  return n;
}

/** Bytes a non-root user may still write in `dir`'s filesystem, or undefined when that cannot be told. */
async function freeBytes(dir: string): Promise<number | undefined> {
  try {
    const s = await fs.statfs(dir);
    return s.bavail * s.bsize;
  } catch {
    return undefined;
  }
}

const gib = (bytes: number) => `${(bytes / 2 ** 30).toFixed(1)} GiB`;

/**
 * Throws `E_OUTPUT` when the triplets of this job certainly do not fit beside `output`; returns their exact count when
 * it had to count them, else undefined.
 *
 * @example
 * await checkOutputRoom('mined.arrow', bound, anchors, (s) => minePending(emb, dim, labels, { ...options, ...s }));
 */
export async function checkOutputRoom(
  output: string,
  bound: number,
  anchors: number,
  countBlocks: CountBlocks,
  options: { workers?: number; onCount?: (done: number, total: number) => void } = {},
): Promise<number | undefined> {
  if (bound * TRIPLET_BYTES < CHECK_FROM) return undefined;
  const free = await freeBytes(path.dirname(path.resolve(output)));
  if (free === undefined || bound * TRIPLET_BYTES <= free) return undefined;
  // The first anchor block, on this thread, for an estimate.
  let done = 0;
  let first = 0;
  for await (const block of countBlocks({ workers: 0, onProgress: (d) => (done = d) })) {
    first = block.total;
    break;
  }
  if (done === 0 || ((first * anchors) / done) * TRIPLET_BYTES <= free / 2) return undefined;
  // Near or over the free space: count them all.
  let total = 0;
  for await (const block of countBlocks({ workers: options.workers, onProgress: options.onCount }))
    total += block.total;
  if (total * TRIPLET_BYTES > free) {
    throw new TripletkitError(
      'E_OUTPUT',
      `Cannot write the output ${output}: its ${total.toLocaleString('en')} triplets take ${gib(total * TRIPLET_BYTES)} but only ${gib(free)} are free there.`,
      {
        hint: 'Cap them with --max-per-anchor K or --negatives-per-pair K (maxPerAnchor, negativesPerPair), mine the embeddings of a trained model (far fewer triplets qualify), or write elsewhere; nothing was written.',
      },
    );
  }
  return total;
}
