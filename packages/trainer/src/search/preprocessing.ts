import { IMAGES_META } from '@tripletkit/common/formats';
import { openImages } from '@tripletkit/loader';

/** How images were turned into pixels: what a query image must get to be comparable (stored with models and indexes). */
export interface Preprocessing {
  height: number;
  width: number;
  channels: 1 | 3;
  /** sharp fit (`cover`, `contain`, `fill`); the loader's default `cover` when the images file does not say. */
  fit: 'cover' | 'contain' | 'fill';
  /** Resampling kernel; the loader's default `linear` when unknown. */
  kernel: 'nearest' | 'linear' | 'cubic' | 'lanczos3';
}

/** Preprocessing from an images file's schema metadata (`tripletkit.height/width/channels/fit/kernel`). */
export function preprocessingOf(md: Record<string, string>): Preprocessing {
  return {
    height: Number(md[IMAGES_META.height]),
    width: Number(md[IMAGES_META.width]),
    channels: Number(md[IMAGES_META.channels]) === 1 ? 1 : 3,
    fit: (md[IMAGES_META.fit] as Preprocessing['fit']) || 'cover',
    kernel: (md[IMAGES_META.kernel] as Preprocessing['kernel']) || 'linear',
  };
}

/**
 * Reads the preprocessing recorded in an images file.
 *
 * @example
 * const p = await readPreprocessing('train.arrow'); // { height: 28, width: 28, channels: 1, fit: 'cover', kernel: 'linear' }
 */
export async function readPreprocessing(imagesFile: string): Promise<Preprocessing> {
  const images = await openImages(imagesFile);
  try {
    return preprocessingOf(images.metadata);
  } finally {
    await images.close();
  }
}
