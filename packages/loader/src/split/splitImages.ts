import { type ArrowFormat, type RecordBatch, TripletkitError, writeArrow } from '@tripletkit/common';
import { encodeSource, IMAGES_META, imagesSchema, listBatch } from '@tripletkit/common/formats';
import { openImages } from '../read/openImageParts.ts';
import { checkHoldoutFraction, holdOutClasses, parseClassList } from './selectClasses.ts';
import { splitOptionSpecs as specs } from './splitOptionSpecs.ts';

/** Which classes go to `output` (the rest go to `rest`): exactly one of the three. */
export interface SplitOptions {
  /** Class names or label indexes to keep, e.g. `0-4` or `cat,dog`. */
  classes?: string;
  /** Class names or label indexes to leave out (everything else is kept). */
  excludeClasses?: string;
  /** Seeded fraction of the classes present to hold out (they go to `rest`). */
  holdoutFraction?: number;
  /** Seed of `holdoutFraction` (default: splitOptionSpecs). */
  seed?: number;
  /** Second output: every row whose class was not selected. */
  rest?: string;
  format?: ArrowFormat;
}

/** What {@link splitImages} wrote. */
export interface SplitResult {
  input: string;
  output: string;
  rows: number;
  classes: string[];
  rest: { output: string; rows: number; classes: string[] } | null;
}

/**
 * Writes the rows of some classes of an images file to `output` (and the others to `rest`): "train on these classes,
 * test on those" in one call. Labels stay indexes into the full `tripletkit.classes` list, so files split from one
 * source keep comparable labels; `tripletkit.split.classes` (JSON array of names) records which classes a file holds.
 *
 * @example
 * await splitImages('mnist.arrow', 'seen.arrow', { classes: '0-4', rest: 'unseen.arrow' });
 */
export async function splitImages(input: string, output: string, options: SplitOptions): Promise<SplitResult> {
  const given = [options.classes, options.excludeClasses, options.holdoutFraction].filter((x) => x !== undefined);
  if (given.length !== 1) {
    throw new TripletkitError(
      'E_ARG',
      'Give exactly one of --classes, --exclude-classes or --holdout-fraction to choose the classes.',
      { hint: 'For example: tripletkit split --images all.arrow --classes 0-4 -o seen.arrow --rest unseen.arrow' },
    );
  }
  if (options.holdoutFraction !== undefined) checkHoldoutFraction(options.holdoutFraction);
  const images = await openImages(input);
  try {
    const labels = await images.labels();
    const present = [...new Set(labels)].sort((a, b) => a - b);
    let selected: number[];
    if (options.classes !== undefined) selected = parseClassList(options.classes, images.classes, '--classes');
    else if (options.excludeClasses !== undefined) {
      const out = new Set(parseClassList(options.excludeClasses, images.classes, '--exclude-classes'));
      selected = present.filter((c) => !out.has(c));
    } else {
      const held = new Set(
        holdOutClasses(present, options.holdoutFraction as number, options.seed ?? specs.seed.default),
      );
      selected = present.filter((c) => !held.has(c));
    }
    const keep = new Set(selected);
    const inSelected = present.filter((c) => keep.has(c));
    const inRest = present.filter((c) => !keep.has(c));
    const names = (ids: number[]) => ids.map((c) => images.classes[c] ?? String(c));
    if (inSelected.length === 0 || (options.rest && inRest.length === 0)) {
      throw new TripletkitError(
        'E_DATA',
        `The split would leave ${inSelected.length === 0 ? output : options.rest} empty: ${input} has rows of classes ${names(present).join(', ')}.`,
        { hint: 'Choose classes that occur in the file, and leave some for each output.' },
      );
    }
    const write = async (target: string, want: boolean, held: number[]) => {
      const schema = imagesSchema({
        height: images.height,
        width: images.width,
        channels: images.channels,
        classes: images.classes,
        extra: {
          ...copied(images.metadata),
          [IMAGES_META.splitClasses]: JSON.stringify(names(held)),
          [IMAGES_META.splitSource]: encodeSource(input, images.numRows),
        },
      });
      const size = images.height * images.width * images.channels;
      async function* produce(): AsyncGenerator<RecordBatch> {
        for await (const b of images.batches()) {
          const rows: number[] = [];
          for (let i = 0; i < b.labels.length; i++) if (keep.has(b.labels[i]) === want) rows.push(i);
          if (rows.length === 0) continue;
          const pixels = new Uint8Array(rows.length * size);
          rows.forEach((r, j) => {
            pixels.set(b.pixels.subarray(r * size, (r + 1) * size), j * size);
          });
          yield listBatch(
            schema,
            pixels,
            Int32Array.from(rows, (r) => b.labels[r]),
            rows.map((r) => b.paths[r]),
          );
        }
      }
      return (await writeArrow(target, schema, produce(), { format: options.format ?? specs.format.default })).rows;
    };
    const rows = await write(output, true, inSelected);
    const rest = options.rest
      ? { output: options.rest, rows: await write(options.rest, false, inRest), classes: names(inRest) }
      : null;
    return { input, output, rows, classes: names(inSelected), rest };
  } finally {
    await images.close();
  }
}

/** Metadata worth carrying from the source (fit, kernel, …), without what imagesSchema sets itself. */
/** Keys a split file writes afresh rather than copying from its source. */
const REWRITTEN = new Set<string>([
  IMAGES_META.kind,
  IMAGES_META.height,
  IMAGES_META.width,
  IMAGES_META.channels,
  IMAGES_META.classes,
  IMAGES_META.splitClasses,
  IMAGES_META.splitSource,
]);

function copied(md: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(md)) {
    if (!REWRITTEN.has(k)) out[k] = v;
  }
  return out;
}
