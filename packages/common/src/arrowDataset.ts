/**
 * An Arrow dataset in parts (a folder or glob of `NAME-part-i-of-n.arrow` files, see parts.ts) read as one
 * {@link ArrowSource}: the batches of every part in part order, the first part's schema and metadata. Parts must
 * have the same columns; one lazily opened file at a time.
 */
import { type ArrowSource, openArrow } from './arrowRead.ts';
import { TripletkitError } from './errors.ts';
import { SHARED_META } from './formats/metadata.ts';
import { resolveParts } from './parts.ts';

function sameColumns(a: ArrowSource, b: ArrowSource): boolean {
  const fa = a.schema.fields;
  const fb = b.schema.fields;
  return fa.length === fb.length && fa.every((f, i) => f.name === fb[i].name && String(f.type) === String(fb[i].type));
}

/**
 * Opens a file, a folder of parts or a glob of parts as one source.
 *
 * @example
 * const src = await openArrowDataset('embeddings/', 'embeddings file'); // every part, in part order
 * for await (const batch of src.batches()) console.log(batch.numRows);
 */
export async function openArrowDataset(input: string, what = 'Arrow file'): Promise<ArrowSource> {
  const files = resolveParts(input, what);
  if (files.length === 1) return openArrow(files[0], what);
  const first = await openArrow(files[0], what);
  // Batch counts per part (file format) give random access across parts; the stream format has none.
  const counts: (number | undefined)[] = [first.numBatches];
  await first.close();
  for (const f of files.slice(1)) {
    const src = await openArrow(f, what);
    await src.close();
    if (!sameColumns(first, src)) {
      throw new TripletkitError(
        'E_SCHEMA',
        `The ${what} part ${f} has other columns than ${files[0]} (${src.schema.fields.map((x) => `${x.name}: ${x.type}`).join(', ')}).`,
        { hint: 'Read together only parts that one command wrote (same columns, same types).' },
      );
    }
    counts.push(src.numBatches);
  }
  const total = counts.every((c) => c !== undefined) ? counts.reduce((s, c) => (s ?? 0) + (c ?? 0), 0) : undefined;
  let open: ArrowSource | undefined;
  return {
    path: input,
    format: first.format,
    schema: first.schema,
    metadata: { ...first.metadata, [SHARED_META.parts]: String(files.length) },
    numBatches: total,
    async *batches() {
      for (const f of files) {
        open = await openArrow(f, what);
        try {
          yield* open.batches();
        } finally {
          await open.close();
          open = undefined;
        }
      }
    },
    async readBatch(i: number) {
      let k = i;
      for (let p = 0; p < files.length; p++) {
        const c = counts[p] ?? 0;
        if (k < c) {
          const src = await openArrow(files[p], what);
          try {
            return await src.readBatch(k);
          } finally {
            await src.close();
          }
        }
        k -= c;
      }
      throw new TripletkitError('E_ARG', `Batch ${i} is past the end of ${input}.`);
    },
    async close() {
      await open?.close();
    },
  };
}
