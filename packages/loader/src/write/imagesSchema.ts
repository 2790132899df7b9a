/** The images file schema of docs/formats.md ("images"). */
import { field, int32Type, type Schema, schemaOf, uint8ListType, utf8Type } from '@tripletkit/common';

/**
 * @example
 * const schema = imagesSchema({ height: 28, width: 28, channels: 1, classes: ['0', '1'] });
 */
export function imagesSchema(meta: {
  height: number;
  width: number;
  channels: number;
  classes: string[];
  extra?: Record<string, string>;
}): Schema {
  return schemaOf(
    [
      field('pixels', uint8ListType(meta.height * meta.width * meta.channels)),
      field('label', int32Type()),
      field('path', utf8Type()),
    ],
    {
      'tripletkit.kind': 'images',
      'tripletkit.height': String(meta.height),
      'tripletkit.width': String(meta.width),
      'tripletkit.channels': String(meta.channels),
      'tripletkit.classes': JSON.stringify(meta.classes),
      ...meta.extra,
    },
  );
}
