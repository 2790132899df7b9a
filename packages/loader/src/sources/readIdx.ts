/**
 * An MNIST-style IDX pair (images: magic 0x803, n × rows × cols uint8; labels: magic 0x801, n uint8), gzipped or
 * not — how MNIST and Fashion-MNIST ship. Read into memory whole (Fashion-MNIST's training set is 47 MB).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { fsError, TripletkitError } from '@tripletkit/common';
import { classesOf } from './classesOf.ts';
import type { ImageItem, ResolvedSource } from './imageItem.ts';

async function readMaybeGzip(file: string, what: string): Promise<Buffer> {
  let buf: Buffer;
  try {
    buf = await fs.readFile(file);
  } catch (err) {
    throw fsError(err, file, what);
  }
  if (buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b) {
    try {
      return gunzipSync(buf);
    } catch (err) {
      throw new TripletkitError('E_DATA', `The ${what} ${file} is gzipped but cannot be decompressed.`, {
        hint: 'The download may be truncated; fetch it again.',
        cause: err,
      });
    }
  }
  return buf;
}

function bad(file: string, what: string, detail: string): TripletkitError {
  return new TripletkitError('E_DATA', `The ${what} ${file} is not an MNIST-style IDX file: ${detail}.`, {
    hint: 'Give the images file (idx3, e.g. t10k-images-idx3-ubyte.gz) and then the labels file (idx1).',
  });
}

/**
 * @example
 * const src = await readIdx('t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz');
 */
export async function readIdx(imagesFile: string, labelsFile: string): Promise<ResolvedSource> {
  const img = await readMaybeGzip(imagesFile, 'IDX images file');
  const lab = await readMaybeGzip(labelsFile, 'IDX labels file');
  if (img.length < 16 || img.readUInt32BE(0) !== 0x803)
    throw bad(imagesFile, 'IDX images file', 'magic is not 0x00000803');
  if (lab.length < 8 || lab.readUInt32BE(0) !== 0x801)
    throw bad(labelsFile, 'IDX labels file', 'magic is not 0x00000801');
  const n = img.readUInt32BE(4);
  const height = img.readUInt32BE(8);
  const width = img.readUInt32BE(12);
  if (img.length < 16 + n * height * width) {
    throw bad(imagesFile, 'IDX images file', `it holds fewer than the ${n} images its header announces`);
  }
  const nl = lab.readUInt32BE(4);
  if (nl !== n || lab.length < 8 + n) {
    throw new TripletkitError('E_DATA', `The IDX pair does not match: ${n} images but ${nl} labels.`, {
      hint: 'Give the labels file that belongs to the images file.',
    });
  }
  if (n === 0) {
    throw new TripletkitError('E_EMPTY', `The IDX images file ${imagesFile} holds no images.`, {
      hint: 'Give a non-empty IDX file.',
    });
  }
  const labels = lab.subarray(8, 8 + n);
  // Labels are names: only the values present become classes (dense ids, numeric order).
  const { classes, ids } = classesOf(Array.from(new Set(labels), String));
  const base = path.basename(imagesFile);
  const items: ImageItem[] = new Array(n);
  for (let i = 0; i < n; i++) items[i] = { path: `${base}#${i}`, label: ids.get(String(labels[i]))! };
  return {
    kind: 'idx',
    root: path.dirname(path.resolve(imagesFile)),
    items,
    classes,
    ignored: 0,
    raw: { width, height, channels: 1, pixels: new Uint8Array(img.buffer, img.byteOffset + 16, n * height * width) },
  };
}
