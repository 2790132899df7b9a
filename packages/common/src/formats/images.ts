/**
 * The images file (docs/formats.md "images"), written by `tripletkit load` and `split`: pixels
 * FixedSizeList<Uint8>[H·W·C], label Int32, path Utf8, with the image geometry and class names in the metadata.
 */
import { field, schemaOf, uint8ListType } from '../arrowColumns.ts';
import {
  ArrowTypeId,
  type Field,
  type FixedSizeList,
  int32Type,
  isIntType,
  type Schema,
  utf8Type,
} from '../arrowTypes.ts';
import { TripletkitError } from '../errors.ts';
import { findColumn } from './columns.ts';
import { decodeClasses, SHARED_META } from './metadata.ts';

/** Metadata keys of an images file. */
export const IMAGES_META = {
  kind: SHARED_META.kind,
  /** Decimal integers; channels 1 or 3. */
  height: 'tripletkit.height',
  width: 'tripletkit.width',
  channels: 'tripletkit.channels',
  /** JSON array of class names; index = label. */
  classes: 'tripletkit.classes',
  /** `cover`, `contain` or `fill`. */
  fit: 'tripletkit.fit',
  /** The resize kernel (`linear`, `lanczos3`, …). */
  kernel: SHARED_META.kernel,
  /** Rows per record batch (decimal). */
  batchRows: 'tripletkit.batch_rows',
  /** Split files: JSON array of the class names this file holds. */
  splitClasses: 'tripletkit.split.classes',
  /** Split files: the images file it was split from (a source reference, see encodeSource). */
  splitSource: 'tripletkit.split.source',
} as const;

/** The geometry and classes an images file records. */
export interface ImagesMeta {
  height: number;
  width: number;
  channels: number;
  classes: string[];
}

/**
 * The images schema; `extra` metadata (already keyed by IMAGES_META) follows the geometry and classes.
 *
 * @example
 * const schema = imagesSchema({ height: 28, width: 28, channels: 1, classes: ['0', '1'] });
 */
export function imagesSchema(meta: ImagesMeta & { extra?: Record<string, string> }): Schema {
  return schemaOf(
    [
      field('pixels', uint8ListType(meta.height * meta.width * meta.channels)),
      field('label', int32Type()),
      field('path', utf8Type()),
    ],
    {
      [IMAGES_META.kind]: 'images',
      [IMAGES_META.height]: String(meta.height),
      [IMAGES_META.width]: String(meta.width),
      [IMAGES_META.channels]: String(meta.channels),
      [IMAGES_META.classes]: JSON.stringify(meta.classes),
      ...meta.extra,
    },
  );
}

const HINT =
  'Images files have pixels FixedSizeList<Uint8>[H·W·C], label Int32 and path Utf8 columns (tripletkit load).';

/**
 * An E_SCHEMA error about an images file, with the images layout as the hint.
 *
 * @example
 * throw imagesSchemaError('a.arrow', 'has null pixels');
 */
export function imagesSchemaError(file: string, what: string): TripletkitError {
  return new TripletkitError('E_SCHEMA', `The images file ${file} ${what}.`, { hint: HINT });
}

/**
 * Checks an images file's columns and metadata; returns the column indexes (path -1 when absent) and the geometry.
 *
 * @example
 * const { pixels, label, meta } = checkImages(src.schema.fields, src.metadata, 'images.arrow');
 */
export function checkImages(
  fields: Field[],
  metadata: Record<string, string>,
  file: string,
): { pixels: number; label: number; path: number; meta: ImagesMeta } {
  const check = { file, what: 'images file', missingHint: HINT };
  const pixels = findColumn(fields, 'pixels', {
    ...check,
    accepts: (t) => t.typeId === ArrowTypeId.FixedSizeList && isIntType(t.children[0].type, 8, false),
    expected: 'FixedSizeList<Uint8>',
  });
  const label = findColumn(fields, 'label', { ...check, accepts: (t) => isIntType(t, 32, true), expected: 'Int32' });
  const path = findColumn(
    fields,
    'path',
    { ...check, accepts: (t) => t.typeId === ArrowTypeId.Utf8, expected: 'Utf8' },
    true,
  );
  const height = Number(metadata[IMAGES_META.height]);
  const width = Number(metadata[IMAGES_META.width]);
  const channels = Number(metadata[IMAGES_META.channels]);
  const rowBytes = (fields[pixels].type as FixedSizeList).listSize;
  if (!(height > 0 && width > 0 && channels > 0) || height * width * channels !== rowBytes) {
    throw imagesSchemaError(file, 'lacks consistent tripletkit.height/width/channels metadata for its pixels column');
  }
  const recorded = metadata[IMAGES_META.classes];
  const classes = decodeClasses(recorded);
  if (recorded && !classes) throw imagesSchemaError(file, 'has tripletkit.classes metadata that is not a JSON array');
  return { pixels, label, path, meta: { height, width, channels, classes: classes ?? [] } };
}
