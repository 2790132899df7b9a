/**
 * Images datasets in parts (a folder or glob of `NAME-part-i-of-n.arrow` files that `tripletkit load --shard` wrote)
 * read as one {@link ImagesFile}: rows numbered across the parts in part order, random access by row dispatched to
 * the part that holds it. Parts must agree on size, channels and classes (load lists every class in every shard).
 */
import { resolveParts, TripletkitError } from '@tripletkit/common';
import { SHARED_META } from '@tripletkit/common/formats';
import { type ImagesFile, openImagesFile } from './openImages.ts';

/**
 * Opens an images file, a folder of parts or a glob of parts.
 *
 * @example
 * const images = await openImages('images/'); // images-part-00000-of-00004.arrow … in part order
 * const { pixels, labels } = await images.readRows([5, 17, 3]);
 * await images.close();
 */
export async function openImages(input: string): Promise<ImagesFile> {
  const files = resolveParts(input, 'images file');
  if (files.length === 1) return openImagesFile(files[0]);
  const parts: ImagesFile[] = [];
  try {
    for (const f of files) parts.push(await openImagesFile(f));
  } catch (err) {
    await Promise.all(parts.map((p) => p.close()));
    throw err;
  }
  const first = parts[0];
  for (const p of parts.slice(1)) {
    const same =
      p.height === first.height &&
      p.width === first.width &&
      p.channels === first.channels &&
      JSON.stringify(p.classes) === JSON.stringify(first.classes);
    if (!same) {
      await Promise.all(parts.map((q) => q.close()));
      throw new TripletkitError(
        'E_SCHEMA',
        `The images part ${p.path} (${p.height}×${p.width}×${p.channels}, ${p.classes.length} classes) does not match ${first.path} (${first.height}×${first.width}×${first.channels}, ${first.classes.length} classes).`,
        { hint: 'Read together only the parts of one `tripletkit load --shard` run.' },
      );
    }
  }
  return combine(input, parts);
}

function combine(input: string, parts: ImagesFile[]): ImagesFile {
  const first = parts[0];
  const starts = [0];
  for (const p of parts) starts.push(starts[starts.length - 1] + p.numRows);
  const numRows = starts[parts.length];
  const rowBytes = first.height * first.width * first.channels;
  const partOf = (row: number): number => {
    let lo = 0;
    let hi = parts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= row) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  let labelCache: Int32Array | undefined;
  return {
    path: input,
    format: first.format,
    height: first.height,
    width: first.width,
    channels: first.channels,
    classes: first.classes,
    numRows,
    metadata: { ...first.metadata, [SHARED_META.parts]: String(parts.length) },
    async labels() {
      if (labelCache) return labelCache;
      const out = new Int32Array(numRows);
      for (let k = 0; k < parts.length; k++) out.set(await parts[k].labels(), starts[k]);
      labelCache = out;
      return out;
    },
    async paths() {
      const out: string[] = [];
      for (const p of parts) out.push(...(await p.paths()));
      return out;
    },
    async readRows(rows) {
      const count = rows.length;
      const byPart = new Map<number, number[]>();
      for (let i = 0; i < count; i++) {
        const r = rows[i];
        if (!Number.isInteger(r) || r < 0 || r >= numRows) {
          throw new TripletkitError('E_ARG', `Row ${r} is out of range for ${input} (${numRows} rows).`, {
            hint: `Ask for rows 0 to ${numRows - 1}.`,
          });
        }
        const k = partOf(r);
        const list = byPart.get(k);
        if (list) list.push(i);
        else byPart.set(k, [i]);
      }
      const pixels = new Uint8Array(count * rowBytes);
      const labels = new Int32Array(count);
      for (const [k, idx] of byPart) {
        const got = await parts[k].readRows(idx.map((i) => rows[i] - starts[k]));
        idx.forEach((i, j) => {
          pixels.set(got.pixels.subarray(j * rowBytes, (j + 1) * rowBytes), i * rowBytes);
          labels[i] = got.labels[j];
        });
      }
      return { pixels, labels };
    },
    readRowsSync(rows) {
      const out = new Uint8Array(rows.length * rowBytes);
      for (let i = 0; i < rows.length; ) {
        const k = partOf(rows[i]);
        // A run of rows in the same part: one call.
        let j = i + 1;
        while (j < rows.length && rows[j] >= starts[k] && rows[j] < starts[k + 1]) j++;
        const local = Array.from({ length: j - i }, (_, q) => rows[i + q] - starts[k]);
        out.set(parts[k].readRowsSync(local), i * rowBytes);
        i = j;
      }
      return out;
    },
    async *batches() {
      for (let k = 0; k < parts.length; k++) {
        for await (const b of parts[k].batches()) yield { ...b, start: b.start + starts[k] };
      }
    },
    async close() {
      await Promise.all(parts.map((p) => p.close()));
    },
  };
}
