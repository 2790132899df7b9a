/**
 * Arrow IPC layout checks done before apache-arrow reads a file: the footer, the schema and every record batch's
 * metadata are parsed with bounds checks, and every length they announce (footer, message, body, buffer, row count)
 * is checked against the file's size and the schema's types. apache-arrow trusts these numbers and allocates from
 * them, so a flipped byte in a footer could otherwise make it allocate gigabytes and abort the process.
 */
import type fs from 'node:fs/promises';
import { TripletkitError } from './errors.ts';
import { type FbTable, FlatBufferError, FlatBufferView } from './flatbufferView.ts';

/** One field of the schema, as far as layout checks need it. */
interface FieldLayout {
  name: string;
  /** Arrow `Type` union id (Schema.fbs). */
  typeId: number;
  /** Bits per value in the data buffer; 0 = none; -1 = a layout this check does not model. */
  bits: number;
  /** Buffers besides validity: 0, 1 (data or offsets) or 2 (offsets and data). */
  buffers: number;
  /** FixedSizeList / FixedSizeBinary size. */
  listSize: number;
  children: FieldLayout[];
}

const MAX_DEPTH = 32;
const MAX_FIELDS = 100_000;

class LayoutError extends Error {}

function fail(detail: string): never {
  throw new LayoutError(detail);
}

type Layout = readonly [bits: number, buffers: number, listSize: number];

/** The layouts that do not depend on a type's parameters, by type id. */
const FIXED_LAYOUTS: Readonly<Record<number, Layout>> = {
  1: [0, 0, 0], // Null: no buffers
  4: [32, 2, 0], // Binary
  5: [32, 2, 0], // Utf8
  6: [1, 1, 0], // Bool
  10: [64, 1, 0], // Timestamp
  12: [32, 1, 0], // List
  13: [0, 0, 0], // Struct
  17: [32, 1, 0], // Map
  18: [64, 1, 0], // Duration
  19: [64, 2, 0], // LargeBinary
  20: [64, 2, 0], // LargeUtf8
  21: [64, 1, 0], // LargeList
};

/** Bits per value and buffer count (besides validity) of a type; bits -1 = not modelled. */
function typeLayout(fb: FlatBufferView, typeId: number, type: FbTable | undefined): Layout {
  const fixed = FIXED_LAYOUTS[typeId];
  if (fixed) return fixed;
  const i32 = (i: number, d: number) => (type ? fb.fieldI32(type, i, d) : d);
  const i16 = (i: number, d: number) => (type ? fb.fieldI16(type, i, d) : d);
  switch (typeId) {
    case 2: {
      const w = i32(0, 0);
      if (![8, 16, 32, 64].includes(w)) fail(`an Int column has bit width ${w}`);
      return [w, 1, 0];
    }
    case 3: {
      const p = i16(0, 0);
      if (p < 0 || p > 2) fail(`a float column has precision ${p}`);
      return [[16, 32, 64][p], 1, 0];
    }
    case 7: {
      const w = i32(2, 128);
      if (![32, 64, 128, 256].includes(w)) fail(`a Decimal column has bit width ${w}`);
      return [w, 1, 0];
    }
    case 8: // Date: DAY = 32-bit, MILLISECOND = 64-bit
      return [i16(0, 1) === 0 ? 32 : 64, 1, 0];
    case 9: {
      const w = i32(1, 32);
      if (w !== 32 && w !== 64) fail(`a Time column has bit width ${w}`);
      return [w, 1, 0];
    }
    case 11: // Interval: YEAR_MONTH 32, DAY_TIME 64, MONTH_DAY_NANO 128
      return [[32, 64, 128][i16(0, 0)] ?? fail('an Interval column has an unknown unit'), 1, 0];
    case 15: {
      const w = i32(0, 0);
      if (w <= 0) fail(`a FixedSizeBinary column has width ${w}`);
      return [8 * w, 1, w];
    }
    case 16: {
      const n = i32(0, 0);
      if (n < 0) fail(`a FixedSizeList column has size ${n}`);
      return [0, 0, n];
    }
    default:
      // Union, run-end encoded, views: read by apache-arrow, but not modelled here (only generic bounds apply).
      if (typeId <= 0 || typeId > 26) fail(`a column has unknown type id ${typeId}`);
      return [-1, 0, 0];
  }
}

function parseFields(fb: FlatBufferView, parent: FbTable, vectorIndex: number, depth: number, count: { n: number }) {
  if (depth > MAX_DEPTH) fail('the schema nests deeper than 32 levels');
  const vec = fb.vector(parent, vectorIndex, 4);
  const out: FieldLayout[] = [];
  for (let k = 0; k < vec.length; k++) {
    if (++count.n > MAX_FIELDS) fail('the schema has more than 100 000 fields');
    const f = fb.tableInVector(vec.start, k);
    const name = fb.string(f, 0);
    let typeId = fb.fieldU8(f, 2);
    let type = fb.table(f, 3);
    const dict = fb.table(f, 4);
    if (dict) {
      // Dictionary-encoded: the batch holds the indices (an Int, default int32).
      type = fb.table(dict, 1);
      typeId = 2;
      if (!type) {
        out.push({ name, typeId, bits: 32, buffers: 1, listSize: 0, children: [] });
        continue;
      }
    }
    const [bits, buffers, listSize] = typeLayout(fb, typeId, type);
    const children = dict ? [] : parseFields(fb, f, 5, depth + 1, count);
    if ((typeId === 12 || typeId === 16 || typeId === 21 || typeId === 17) && children.length !== 1) {
      fail(`the list column "${name}" has ${children.length} child fields`);
    }
    out.push({ name, typeId, bits, buffers, listSize, children });
  }
  return out;
}

function parseSchema(fb: FlatBufferView, schema: FbTable): { fields: FieldLayout[]; summary: string } {
  const fields = parseFields(fb, schema, 1, 0, { n: 0 });
  const md = fb.vector(schema, 2, 4);
  const kv: string[] = [];
  for (let k = 0; k < md.length; k++) {
    const t = fb.tableInVector(md.start, k);
    kv.push(`${fb.string(t, 0)}=${fb.string(t, 1)}`);
  }
  const sum = (fs: FieldLayout[]): string =>
    fs.map((f) => `${f.name}:${f.typeId}:${f.bits}:${f.listSize}(${sum(f.children)})`).join(',');
  return { fields, summary: `${sum(fields)}|${kv.join('\u0000')}` };
}

/** Checks a RecordBatch header (nodes, buffers, lengths) against the schema and its body length. */
function checkRecordBatch(fb: FlatBufferView, rb: FbTable, bodyLength: number, fields: FieldLayout[] | undefined) {
  const length = fb.fieldI64(rb, 0);
  const nodes = fb.vector(rb, 1, 16);
  const buffers = fb.vector(rb, 2, 16);
  if (length < 0) fail(`a record batch has ${length} rows`);
  if (fb.table(rb, 3)) fail('a record batch is compressed, which this reader does not support');
  const bufLen: number[] = [];
  for (let k = 0; k < buffers.length; k++) {
    const off = fb.i64(buffers.start + 16 * k);
    const len = fb.i64(buffers.start + 16 * k + 8);
    if (off < 0 || len < 0 || off + len > bodyLength) {
      fail(`buffer ${k} of a record batch (${off}+${len}) lies outside its ${bodyLength}-byte body`);
    }
    bufLen.push(len);
  }
  // Any column of a type with buffers needs at least one bit per row: a row count far beyond the body is corrupt.
  const maxRows = 8 * bodyLength + 64;
  let node = 0;
  let buf = 0;
  let modelled = fields !== undefined;
  const nextNode = () => {
    if (node >= nodes.length) fail('a record batch has fewer field nodes than the schema has fields');
    const len = fb.i64(nodes.start + 16 * node);
    const nulls = fb.i64(nodes.start + 16 * node + 8);
    node++;
    if (len < 0 || nulls < 0 || nulls > len) fail(`a field node has length ${len} and null count ${nulls}`);
    return { len, nulls };
  };
  const nextBuf = (): number => {
    if (buf >= bufLen.length) fail('a record batch has fewer buffers than its columns need');
    return bufLen[buf++];
  };
  const need = (have: number, bytes: number, what: string) => {
    if (have < bytes) fail(`${what} needs ${bytes} bytes but its buffer holds ${have}`);
  };
  const visit = (f: FieldLayout, expected: number) => {
    if (!modelled) return;
    if (f.bits < 0) {
      modelled = false;
      return;
    }
    const { len, nulls } = nextNode();
    if (len !== expected) fail(`column "${f.name}" has ${len} values where ${expected} are expected`);
    if (f.typeId === 1) return; // Null: no buffers
    if (len > maxRows) fail(`column "${f.name}" announces ${len} values in a ${bodyLength}-byte body`);
    const validity = nextBuf();
    if (nulls > 0) need(validity, Math.ceil(len / 8), `the validity bitmap of "${f.name}"`);
    if (f.buffers >= 1) {
      const b = nextBuf();
      // Offsets hold one more entry than values.
      const offsets = [4, 5, 12, 17, 19, 20, 21].includes(f.typeId) ? 1 : 0;
      if (len > 0) need(b, Math.ceil(((len + offsets) * f.bits) / 8), `column "${f.name}"`);
    }
    if (f.buffers >= 2) nextBuf();
    if (f.typeId === 16) {
      visit(f.children[0], len * f.listSize);
    } else if (f.typeId === 13) {
      for (const c of f.children) visit(c, len);
    } else if (f.typeId === 12 || f.typeId === 21 || f.typeId === 17) {
      // Child length comes from the offsets (not read here): check it against the body only.
      const c = f.children[0];
      if (c.bits < 0) modelled = false;
      else if (nodes.length > node) visit(c, fb.i64(nodes.start + 16 * node));
    }
  };
  if (length > maxRows && fields?.some((f) => f.typeId !== 1)) {
    fail(`a record batch announces ${length} rows in a ${bodyLength}-byte body`);
  }
  if (fields) for (const f of fields) visit(f, length);
  if (modelled && fields && node !== nodes.length) fail('a record batch has more field nodes than the schema');
}

/** Reads `n` bytes at `pos`; `n` is already bounded by the file size. */
async function readAt(fh: fs.FileHandle, pos: number, n: number): Promise<Uint8Array> {
  const b = Buffer.alloc(n);
  const { bytesRead } = await fh.read(b, 0, n, pos);
  if (bytesRead !== n) fail('the file ended early');
  return b;
}

/** An encapsulated message at `pos`: its metadata (flatbuffer) and where its body starts and ends. */
async function readMessage(fh: fs.FileHandle, pos: number, end: number) {
  if (pos + 8 > end) fail('a message header runs past the end of the file');
  const head = await readAt(fh, pos, 8);
  const dv = new DataView(head.buffer, head.byteOffset, 8);
  let metaLen = dv.getInt32(0, true);
  let metaStart = pos + 4;
  if (dv.getUint32(0, true) === 0xffffffff) {
    metaLen = dv.getInt32(4, true);
    metaStart = pos + 8;
  }
  if (metaLen === 0) return undefined; // end-of-stream marker
  if (metaLen < 0 || metaStart + metaLen > end) fail(`a message announces ${metaLen} bytes of metadata`);
  const fb = new FlatBufferView(await readAt(fh, metaStart, metaLen));
  const msg = fb.root();
  const headerType = fb.fieldU8(msg, 1);
  const header = fb.table(msg, 2);
  const bodyLength = fb.fieldI64(msg, 3);
  const bodyStart = metaStart + metaLen;
  if (bodyLength < 0 || bodyStart + bodyLength > end) {
    fail(`a message announces a ${bodyLength}-byte body but the file has ${Math.max(0, end - bodyStart)} left`);
  }
  return { fb, headerType, header, bodyLength, bodyStart, next: bodyStart + bodyLength };
}

type Message = NonNullable<Awaited<ReturnType<typeof readMessage>>>;

function checkBatchMessage(m: Message, fields: FieldLayout[]) {
  if (!m.header) fail('a message has no header');
  if (m.headerType === 3) checkRecordBatch(m.fb, m.header, m.bodyLength, fields);
  else if (m.headerType === 2) {
    const data = m.fb.table(m.header, 1);
    if (!data) fail('a dictionary batch has no data');
    checkRecordBatch(m.fb, data, m.bodyLength, undefined);
  } else fail(`a message has header type ${m.headerType} where a record batch is expected`);
}

async function validateStream(fh: fs.FileHandle, size: number, start: number): Promise<void> {
  const first = await readMessage(fh, start, size);
  if (first?.headerType !== 1 || !first.header) fail('the stream does not start with a schema');
  const { fields } = parseSchema(first.fb, first.header);
  let pos = first.next;
  while (pos < size) {
    const m = await readMessage(fh, pos, size);
    if (!m) return;
    checkBatchMessage(m, fields);
    pos = m.next;
  }
}

async function validateFile(fh: fs.FileHandle, size: number): Promise<void> {
  if (size < 8 + 10) fail('the file is shorter than its magic numbers');
  const tail = await readAt(fh, size - 10, 10);
  if (Buffer.from(tail.subarray(4)).toString('latin1') !== 'ARROW1') fail('the closing ARROW1 magic is missing');
  const footerLen = new DataView(tail.buffer, tail.byteOffset, 4).getInt32(0, true);
  const footerStart = size - 10 - footerLen;
  if (footerLen <= 0 || footerStart < 8) fail(`the footer announces ${footerLen} bytes in a ${size}-byte file`);
  const fb = new FlatBufferView(await readAt(fh, footerStart, footerLen));
  const footer = fb.root();
  const schemaTable = fb.table(footer, 1);
  if (!schemaTable) fail('the footer has no schema');
  const schema = parseSchema(fb, schemaTable);
  // pyarrow repeats the schema at the start of the file format (apache-arrow JS does not): when it is there, a footer
  // that disagrees with it is corrupt.
  const head = await readMessage(fh, 8, footerStart);
  if (head?.headerType === 1 && head.header) {
    if (parseSchema(head.fb, head.header).summary !== schema.summary) fail('the footer schema differs from the header');
  }
  for (const [vi, kind] of [
    [2, 2],
    [3, 3],
  ] as const) {
    const blocks = fb.vector(footer, vi, 24);
    for (let k = 0; k < blocks.length; k++) {
      const at = blocks.start + 24 * k;
      const offset = fb.i64(at);
      const metaLen = fb.i32(at + 8);
      const bodyLen = fb.i64(at + 16);
      if (offset < 8 || metaLen < 8 || bodyLen < 0 || offset + metaLen + bodyLen > footerStart) {
        fail(`block ${k} (${offset}+${metaLen}+${bodyLen}) lies outside the ${footerStart} bytes before the footer`);
      }
      const m = await readMessage(fh, offset, offset + metaLen + bodyLen);
      if (!m || m.headerType !== kind) fail(`block ${k} does not hold a ${kind === 3 ? 'record' : 'dictionary'} batch`);
      checkBatchMessage(m, schema.fields);
    }
  }
}

/**
 * Throws `E_TRUNCATED` (naming `file`) when the Arrow IPC layout of the open file is inconsistent: lengths beyond the
 * file, a footer that does not parse or disagrees with the header, batches whose buffers do not fit their types.
 * Reads only metadata (a few bytes per batch), never bodies.
 *
 * @example
 * await validateArrowLayout(fh, (await fh.stat()).size, 'file', 'emb.arrow', 'embeddings file');
 */
export async function validateArrowLayout(
  fh: fs.FileHandle,
  size: number,
  format: 'file' | 'stream',
  file: string,
  what: string,
): Promise<void> {
  try {
    if (format === 'file') await validateFile(fh, size);
    else await validateStream(fh, size, 0);
  } catch (err) {
    if (!(err instanceof LayoutError || err instanceof FlatBufferError || err instanceof RangeError)) throw err;
    throw new TripletkitError('E_TRUNCATED', `The ${what} ${file} is truncated or corrupt (${err.message}).`, {
      hint: 'Regenerate it; the writer may have been interrupted or the file damaged in transit.',
      cause: err,
    });
  }
}
