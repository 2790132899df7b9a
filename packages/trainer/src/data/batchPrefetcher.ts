/**
 * Bounded background prefetch of the batches' pixels: while step s computes, the rows of steps s+1 … s+depth are
 * already being read (positional reads on libuv's thread pool, off the JS thread) and augmented, so a step never
 * waits for the disk when the file is read per batch. At most `depth` steps' pixels are held ahead (memory stays
 * bounded: depth × batch × image bytes). In memory a gather is a copy, done when asked.
 */
import { TripletkitError } from '@tripletkit/common';
import { gatherPixels, type ImageSet } from './imageSet.ts';

/** Steps read ahead of the one computing (2: the next step is ready even when one read is slow). */
export const PREFETCH_DEPTH = 2;

/** Pixels of one step: one buffer per part (worker) of the step, in the plan's order. */
export type StepPixels = Uint8Array[];

/**
 * Reads the planned steps' rows ahead of use.
 *
 * @example
 * const ahead = new BatchPrefetcher(trainSet, plan.map((step) => step.map((b) => b.rows)));
 * const pixels = await ahead.take(0); // step 0's buffers; steps 1 and 2 are now being read
 */
export class BatchPrefetcher {
  private readonly pending = new Map<number, Promise<StepPixels>>();

  /**
   * @param set the images (memory or file storage)
   * @param steps rows of each part of each step
   * @param transform applied to each part's pixels once read (e.g. augmentation, seeded by step and part)
   */
  constructor(
    private readonly set: ImageSet,
    private readonly steps: ArrayLike<number>[][],
    private readonly transform?: (pixels: Uint8Array, step: number, part: number) => void,
    private readonly depth = PREFETCH_DEPTH,
  ) {}

  private read(step: number): Promise<StepPixels> {
    const parts = this.steps[step];
    const file = this.set.file;
    const fetchPart = async (rows: ArrayLike<number>, part: number): Promise<Uint8Array> => {
      const pixels = file && !this.set.pixels ? (await file.readRows(rows)).pixels : gatherPixels(this.set, rows);
      this.transform?.(pixels, step, part);
      return pixels;
    };
    return Promise.all(parts.map(fetchPart));
  }

  /** Step `step`'s pixels; starts the reads of the following `depth` steps. Steps are taken in increasing order. */
  take(step: number): Promise<StepPixels> {
    if (step < 0 || step >= this.steps.length) {
      throw new TripletkitError('E_ARG', `No step ${step} in this epoch's plan of ${this.steps.length} steps.`);
    }
    const current = this.pending.get(step) ?? this.read(step);
    this.pending.delete(step);
    for (const s of this.pending.keys()) if (s < step) this.pending.delete(s);
    if (this.set.pixels) return current; // in memory: nothing to overlap, and no reason to hold copies ahead
    for (let s = step + 1; s <= Math.min(step + this.depth, this.steps.length - 1); s++) {
      if (!this.pending.has(s)) {
        const p = this.read(s);
        p.catch(() => undefined); // surfaced when taken
        this.pending.set(s, p);
      }
    }
    return current;
  }
}
