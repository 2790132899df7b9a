/**
 * sharp, imported on first use: loading it (libvips) is most of the loader's import cost, and many runs never need it
 * in the main thread (IDX input, decoding in worker threads, `--size` given so no size probe), so `tripletkit load`
 * starts listing its input without waiting for it. The worker threads import it themselves.
 */
import type sharpFn from 'sharp';

let loading: Promise<typeof sharpFn> | undefined;

/**
 * The sharp function.
 *
 * @example
 * const sharp = await loadSharp();
 * const { width } = await sharp(buf).metadata();
 */
export function loadSharp(): Promise<typeof sharpFn> {
  loading ??= import('sharp').then((m) => m.default);
  return loading;
}
