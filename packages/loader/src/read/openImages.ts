/**
 * Reading an images file (docs/formats.md) without loading it: metadata and row count up front, labels and
 * paths column by column, pixels of any rows by direct reads, and sequential batches for whole-file passes. Works on
 * the file and the stream format alike (both are indexed by their message headers on open).
 */
import fsSync from 'node:fs';
import fs from 'node:fs/promises';
import { type DataType, fsError, openArrow, TripletkitError, ArrowTypeId as Type } from '@tripletkit/common';
import { checkImages, imagesSchemaError } from '@tripletkit/common/formats';
import { type BatchLayout, scanIpc } from './scanIpc.ts';

/** An open images file. */
export interface ImagesFile {
  readonly path: string;
  readonly format: 'file' | 'stream';
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  /** Class names; index = label. */
  readonly classes: string[];
  readonly numRows: number;
  /** Schema metadata as a plain object. */
  readonly metadata: Record<string, string>;
  /** All labels, reading only the label column. */
  labels(): Promise<Int32Array>;
  /** All paths, reading only the path column (empty strings when the file has none). */
  paths(): Promise<string[]>;
  /** Pixels of the given rows in the order given (rows × H × W × C Uint8) and their labels; reads only those rows. */
  readRows(rows: ArrayLike<number>): Promise<{ pixels: Uint8Array; labels: Int32Array }>;
  /**
   * Pixels of the given rows, in the order given, by synchronous positional reads (no copy of the file in memory;
   * the OS page cache is the shared cache). For training loops that gather a batch between two steps.
   */
  readRowsSync(rows: ArrayLike<number>): Uint8Array;
  /** Sequential batches (one per record batch in the file), for bounded-memory passes. */
  batches(): AsyncGenerator<{ start: number; pixels: Uint8Array; labels: Int32Array; paths: string[] }>;
  close(): Promise<void>;
}

/** Number of buffers each type contributes to a record batch, depth first (Arrow IPC layout). */
function bufferCount(type: DataType): number {
  switch (type.typeId) {
    case Type.FixedSizeList:
    case Type.Struct:
      return 1 + type.children.reduce((s, c) => s + bufferCount(c.type), 0);
    case Type.List:
      return 2 + type.children.reduce((s, c) => s + bufferCount(c.type), 0);
    case Type.Utf8:
    case Type.Binary:
      return 3;
    case Type.Null:
      return 0;
    default:
      return 2;
  }
}

function nodeCount(type: DataType): number {
  return 1 + (type.children ?? []).reduce((s, c) => s + nodeCount(c.type), 0);
}

/**
 * One images file (see openImages in openImageParts.ts for folders and globs of parts).
 *
 * @example
 * const images = await openImagesFile('images.arrow');
 * const { pixels, labels } = await images.readRows([5, 17, 3]);
 * await images.close();
 */
export async function openImagesFile(file: string): Promise<ImagesFile> {
  const src = await openArrow(file, 'images file');
  await src.close(); // only needed the validated schema; reads below go through our own handle
  const md = src.metadata;
  const fields = src.schema.fields;
  const { pixels: pi, label: li, path: si, meta } = checkImages(fields, md, file);
  const { height, width, channels, classes } = meta;
  const rowBytes = height * width * channels;
  // Buffer and node positions of our three columns.
  const bufStart: number[] = [];
  const nodeStart: number[] = [];
  let b = 0;
  let n = 0;
  for (const f of fields) {
    bufStart.push(b);
    nodeStart.push(n);
    b += bufferCount(f.type);
    n += nodeCount(f.type);
  }
  let fh: fs.FileHandle;
  let layouts: BatchLayout[];
  try {
    fh = await fs.open(file, 'r');
  } catch (err) {
    throw fsError(err, file, 'images file');
  }
  try {
    layouts = await scanIpc(fh, src.format, (await fh.stat()).size);
  } catch (err) {
    await fh.close();
    throw new TripletkitError('E_TRUNCATED', `The images file ${file} is truncated or corrupt and cannot be read.`, {
      hint: 'Regenerate it with tripletkit load.',
      cause: err,
    });
  }
  for (const l of layouts) {
    const nulls = [nodeStart[pi], nodeStart[pi] + 1, nodeStart[li]].some((k) => l.nullCounts[k] > 0);
    if (l.compressed || nulls || l.buffers.length < b) {
      await fh.close();
      throw imagesSchemaError(file, 'is compressed or has null pixels/labels, which images files never have');
    }
  }
  const numRows = layouts.reduce((s, l) => s + l.rows, 0);
  const pixBuf = bufStart[pi] + 2; // [list validity, item validity, item data]
  const labBuf = bufStart[li] + 1;
  const read = async (pos: number, len: number): Promise<Buffer> => {
    const buf = Buffer.allocUnsafe(len);
    let got = 0;
    while (got < len) {
      const { bytesRead } = await fh.read(buf, got, len - got, pos + got);
      if (bytesRead === 0) {
        throw new TripletkitError('E_TRUNCATED', `The images file ${file} ends early.`, {
          hint: 'Regenerate it with tripletkit load.',
        });
      }
      got += bytesRead;
    }
    return buf;
  };
  const readLabels = async (l: BatchLayout): Promise<Int32Array> => {
    const r = l.buffers[labBuf];
    const buf = await read(l.bodyOffset + r.offset, l.rows * 4);
    return new Int32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + l.rows * 4));
  };
  const readPaths = async (l: BatchLayout): Promise<string[]> => {
    if (si < 0) return new Array(l.rows).fill('');
    const ro = l.buffers[bufStart[si] + 1];
    const rd = l.buffers[bufStart[si] + 2];
    const offBuf = await read(l.bodyOffset + ro.offset, (l.rows + 1) * 4);
    const offs = new Int32Array(offBuf.buffer, offBuf.byteOffset, l.rows + 1);
    const data = rd.length ? await read(l.bodyOffset + rd.offset, rd.length) : Buffer.alloc(0);
    const out: string[] = new Array(l.rows);
    for (let i = 0; i < l.rows; i++) out[i] = data.toString('utf8', offs[i], offs[i + 1]);
    return out;
  };
  let labelCache: Int32Array | undefined;
  const labels = async (): Promise<Int32Array> => {
    if (labelCache) return labelCache;
    const out = new Int32Array(numRows);
    for (const l of layouts) out.set(await readLabels(l), l.start);
    labelCache = out;
    return out;
  };
  const batchOf = (row: number): BatchLayout => {
    let lo = 0;
    let hi = layouts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (layouts[mid].start <= row) lo = mid;
      else hi = mid - 1;
    }
    return layouts[lo];
  };
  let syncFd: number | undefined;
  const readRowsSync = (rows: ArrayLike<number>): Uint8Array => {
    if (closed) throw new TripletkitError('E_ARG', `The images file ${file} is closed.`);
    if (syncFd === undefined) {
      try {
        syncFd = fsSync.openSync(file, 'r');
      } catch (err) {
        throw fsError(err, file, 'images file');
      }
    }
    const out = new Uint8Array(rows.length * rowBytes);
    for (let i = 0; i < rows.length; ) {
      const r = rows[i];
      if (!Number.isInteger(r) || r < 0 || r >= numRows) {
        throw new TripletkitError('E_ARG', `Row ${r} is out of range for ${file} (${numRows} rows).`, {
          hint: `Ask for rows 0 to ${numRows - 1}.`,
        });
      }
      // One read for a run of consecutive rows inside one record batch.
      const l = batchOf(r);
      let j = i + 1;
      while (j < rows.length && rows[j] === r + (j - i) && rows[j] < l.start + l.rows) j++;
      const pos = l.bodyOffset + l.buffers[pixBuf].offset + (r - l.start) * rowBytes;
      const len = (j - i) * rowBytes;
      let got = 0;
      while (got < len) {
        const n = fsSync.readSync(syncFd, out, i * rowBytes + got, len - got, pos + got);
        if (n === 0) {
          throw new TripletkitError('E_TRUNCATED', `The images file ${file} ends early.`, {
            hint: 'Regenerate it with tripletkit load.',
          });
        }
        got += n;
      }
      i = j;
    }
    return out;
  };
  let closed = false;
  return {
    path: file,
    readRowsSync,
    format: src.format,
    height,
    width,
    channels,
    classes,
    numRows,
    metadata: md,
    labels,
    async paths() {
      const out: string[] = [];
      for (const l of layouts) out.push(...(await readPaths(l)));
      return out;
    },
    async readRows(rows) {
      const count = rows.length;
      const all = await labels();
      const pixels = new Uint8Array(count * rowBytes);
      const lab = new Int32Array(count);
      // Read in file order, merging runs of consecutive rows into one read.
      const order = Array.from({ length: count }, (_, i) => i);
      for (let i = 0; i < count; i++) {
        const r = rows[i];
        if (!Number.isInteger(r) || r < 0 || r >= numRows) {
          throw new TripletkitError('E_ARG', `Row ${r} is out of range for ${file} (${numRows} rows).`, {
            hint: `Ask for rows 0 to ${numRows - 1}.`,
          });
        }
        lab[i] = all[r];
      }
      order.sort((a, c) => rows[a] - rows[c]);
      let i = 0;
      while (i < count) {
        const first = rows[order[i]];
        const l = batchOf(first);
        let j = i + 1;
        while (j < count && rows[order[j]] - first <= j - i && rows[order[j]] < l.start + l.rows) j++;
        const last = rows[order[j - 1]];
        const base = l.bodyOffset + l.buffers[pixBuf].offset;
        const buf = await read(base + (first - l.start) * rowBytes, (last - first + 1) * rowBytes);
        for (let k = i; k < j; k++) {
          const off = (rows[order[k]] - first) * rowBytes;
          pixels.set(buf.subarray(off, off + rowBytes), order[k] * rowBytes);
        }
        i = j;
      }
      return { pixels, labels: lab };
    },
    async *batches() {
      for (const l of layouts) {
        const r = l.buffers[pixBuf];
        const buf = await read(l.bodyOffset + r.offset, l.rows * rowBytes);
        const pixels = new Uint8Array(buf.buffer, buf.byteOffset, l.rows * rowBytes);
        yield { start: l.start, pixels, labels: await readLabels(l), paths: await readPaths(l) };
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      if (syncFd !== undefined) fsSync.closeSync(syncFd);
      await fh.close();
    },
  };
}
