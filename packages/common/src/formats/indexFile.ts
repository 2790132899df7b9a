/**
 * The index file (docs/formats.md "index"), written by `tripletkit index` and read by `tripletkit search`: an
 * embeddings file whose metadata also identifies the model and the preprocessing query images need.
 */
import { TripletkitError } from '../errors.ts';
import { IMAGES_META } from './images.ts';
import { decodeClasses, SHARED_META } from './metadata.ts';

/** Metadata keys of an index file. */
export const INDEX_META = {
  kind: SHARED_META.kind,
  /** JSON array of class names. */
  classes: IMAGES_META.classes,
  /** JSON: the model's path and the sha256 of its files. */
  model: 'tripletkit.model',
  /** JSON: size, channels, fit, kernel and normalisation applied to query images. */
  preprocessing: 'tripletkit.preprocessing',
  /** `embedding` or `backbone`. */
  features: 'tripletkit.features',
} as const;

/**
 * The metadata of an index file (values are JSON-encoded here).
 *
 * @example
 * indexMetadata({ classes: ['a'], model: { path: 'm', sha256: '…' }, preprocessing, features: 'embedding' });
 */
export function indexMetadata(index: {
  classes: string[];
  model: unknown;
  preprocessing: unknown;
  features: string;
}): Record<string, string> {
  return {
    [INDEX_META.kind]: 'index',
    [INDEX_META.classes]: JSON.stringify(index.classes),
    [INDEX_META.model]: JSON.stringify(index.model),
    [INDEX_META.preprocessing]: JSON.stringify(index.preprocessing),
    [INDEX_META.features]: index.features,
  };
}

/**
 * Decodes an index file's metadata; E_SCHEMA when the file is not an index.
 *
 * @example
 * const { model, preprocessing } = readIndexMetadata(e.metadata, 'gallery.idx.arrow');
 */
export function readIndexMetadata<M, P>(
  md: Record<string, string>,
  file: string,
): { classes: string[]; model: M; preprocessing: P; features: 'embedding' | 'backbone' } {
  if (md[INDEX_META.kind] !== 'index' || !md[INDEX_META.model] || !md[INDEX_META.preprocessing]) {
    throw new TripletkitError('E_SCHEMA', `The file ${file} is not a search index (no tripletkit.model metadata).`, {
      hint: 'Build one with: tripletkit index --model MODEL --images gallery.arrow -o gallery.idx.arrow',
    });
  }
  return {
    classes: decodeClasses(md[INDEX_META.classes]) ?? [],
    model: JSON.parse(md[INDEX_META.model]),
    preprocessing: JSON.parse(md[INDEX_META.preprocessing]),
    features: md[INDEX_META.features] === 'backbone' ? 'backbone' : 'embedding',
  };
}
