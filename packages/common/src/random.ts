/**
 * Seeded pseudo-random numbers. Everything random in tripletkit (caps, samplers, shuffles, augmentation) draws from
 * here so that the same seed gives byte-identical output on every machine, whatever the worker count.
 */

/** splitmix32: a tiny, fast, well-mixed 32-bit generator; good enough for sampling, not for cryptography. */
export class Rng {
  private state: number;

  /**
   * @example
   * const rng = new Rng(42);
   * const i = rng.int(10); // 0..9
   */
  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Next raw 32-bit unsigned integer. */
  nextU32(): number {
    this.state = (this.state + 0x9e3779b9) >>> 0;
    let z = this.state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  }

  /** Uniform float in [0, 1). */
  next(): number {
    return this.nextU32() / 4294967296;
  }

  /** Uniform integer in [0, n), unbiased (rejection sampling). */
  int(n: number): number {
    if (n <= 1) return 0;
    if (n > 4294967296) return Math.floor(this.next() * n);
    const limit = 4294967296 - (4294967296 % n);
    for (;;) {
      const x = this.nextU32();
      if (x < limit) return x % n;
    }
  }

  /** In-place Fisher-Yates shuffle. */
  shuffle<T extends { length: number; [i: number]: unknown }>(a: T): T {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }
}

/**
 * Derives an independent seed for a sub-stream (e.g. one anchor, one epoch) from a base seed, so that results do not
 * depend on the order in which workers process the sub-streams.
 *
 * @example
 * const rng = new Rng(deriveSeed(seed, anchorIndex));
 */
export function deriveSeed(seed: number, ...keys: number[]): number {
  let h = (seed ^ 0x5bd1e995) >>> 0;
  for (const k of keys) {
    // Mix both 32-bit halves so row indices above 2^32 would still differ.
    const lo = k >>> 0;
    const hi = Math.floor(k / 4294967296) >>> 0;
    h = Math.imul(h ^ lo, 0xcc9e2d51) >>> 0;
    h = ((h << 15) | (h >>> 17)) >>> 0;
    h = Math.imul(h ^ hi, 0x1b873593) >>> 0;
    h = (h ^ (h >>> 16)) >>> 0;
  }
  return h;
}
