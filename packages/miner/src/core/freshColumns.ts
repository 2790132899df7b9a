/**
 * Fresh result columns for large outputs. On a VM the first write to each new 4 KiB page is a fault that costs more
 * than mining the triplets stored there (446 MB of fresh arrays: 2–4 s of faults on the 2-core machine this was
 * measured on, against ~0.2 s with 2 MiB pages). So large columns ask the native addon for transparent huge pages
 * before anything touches them. Advice only: without the addon, or where THP is off, they are ordinary arrays.
 */
import { nativeAddon } from '../distances/distanceTile.ts';

/** Columns smaller than this stay ordinary: huge pages only pay off well beyond one 2 MiB page. */
const HUGE_MIN_BYTES = 8 * 1024 * 1024;

const advise = nativeAddon?.adviseHugePages?.bind(nativeAddon);

function fresh<T extends Int32Array | Float32Array>(a: T): T {
  if (advise && a.byteLength >= HUGE_MIN_BYTES) advise(a);
  return a;
}

/**
 * A zeroed Int32Array of `n` values, on huge pages when large and available.
 *
 * @example
 * const anchors = freshInt32(22_000_000);
 */
export function freshInt32(n: number): Int32Array {
  return fresh(new Int32Array(n));
}

/**
 * A zeroed Float32Array of `n` values, on huge pages when large and available.
 *
 * @example
 * const dAp = freshFloat32(22_000_000);
 */
export function freshFloat32(n: number): Float32Array {
  return fresh(new Float32Array(n));
}
