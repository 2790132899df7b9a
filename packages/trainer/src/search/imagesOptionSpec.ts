/**
 * The option spec of images that prepareImages (queryImages.ts) hands to the model (the index's gallery, the search's queries):
 * image files, a folder, or an images file, several values allowed. One definition of the shape; each function words
 * its own help.
 */
import type { OptionSpec } from '@tripletkit/common/options';

/**
 * @example
 * const specs = { query: imagesOptionSpec('Query image files, a folder, or an images file') };
 */
export function imagesOptionSpec<D extends string>(describe: D) {
  return { type: 'string', array: true, describe } as const satisfies OptionSpec;
}
