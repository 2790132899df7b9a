/**
 * A bounds-checked, read-only view of a FlatBuffer (the encoding of Arrow IPC metadata). Every offset is checked
 * against the buffer before it is followed, so a corrupt footer or message fails with {@link FlatBufferError}
 * instead of making a reader read (or allocate) from an unchecked length.
 */

/** A FlatBuffer offset or length points outside its buffer. */
export class FlatBufferError extends Error {}

/** One table inside a {@link FlatBufferView}. */
export interface FbTable {
  readonly pos: number;
  readonly vtable: number;
  readonly vtableSize: number;
}

/**
 * @example
 * const fb = new FlatBufferView(footerBytes);
 * const footer = fb.root();
 * const schema = fb.table(footer, 1);
 */
export class FlatBufferView {
  private readonly dv: DataView;
  readonly length: number;

  constructor(bytes: Uint8Array) {
    this.dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.length = bytes.byteLength;
  }

  /** Throws unless `size` bytes from `pos` lie inside the buffer; returns `pos`. */
  private check(pos: number, size: number): number {
    if (!Number.isInteger(pos) || pos < 0 || pos + size > this.length) {
      throw new FlatBufferError(`offset ${pos}+${size} outside ${this.length} bytes`);
    }
    return pos;
  }

  u8(pos: number): number {
    return this.dv.getUint8(this.check(pos, 1));
  }
  i16(pos: number): number {
    return this.dv.getInt16(this.check(pos, 2), true);
  }
  u16(pos: number): number {
    return this.dv.getUint16(this.check(pos, 2), true);
  }
  i32(pos: number): number {
    return this.dv.getInt32(this.check(pos, 4), true);
  }
  u32(pos: number): number {
    return this.dv.getUint32(this.check(pos, 4), true);
  }
  /** A 64-bit integer as a Number; values outside ±2^53 are corrupt for every use here. */
  i64(pos: number): number {
    const v = this.dv.getBigInt64(this.check(pos, 8), true);
    if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < -BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new FlatBufferError(`64-bit value ${v} out of range`);
    }
    return Number(v);
  }

  private tableAt(pos: number): FbTable {
    const vtable = pos - this.i32(pos);
    const vtableSize = this.u16(vtable);
    if (vtableSize < 4 || vtableSize % 2 !== 0) throw new FlatBufferError(`bad vtable size ${vtableSize}`);
    this.check(vtable, vtableSize);
    return { pos, vtable, vtableSize };
  }

  /** The root table. */
  root(): FbTable {
    return this.tableAt(this.u32(0));
  }

  /** Position of field `i` of `t`, or 0 when absent. */
  field(t: FbTable, i: number): number {
    const o = 4 + 2 * i;
    if (o + 2 > t.vtableSize) return 0;
    const off = this.u16(t.vtable + o);
    return off === 0 ? 0 : t.pos + off;
  }

  private deref(pos: number): number {
    return pos + this.u32(pos);
  }

  /** Sub-table in field `i`, or undefined. */
  table(t: FbTable, i: number): FbTable | undefined {
    const f = this.field(t, i);
    return f ? this.tableAt(this.deref(f)) : undefined;
  }

  /** Scalar fields with their defaults. */
  fieldU8(t: FbTable, i: number, dflt = 0): number {
    return this.scalar(t, i, dflt, this.u8);
  }
  fieldI16(t: FbTable, i: number, dflt = 0): number {
    return this.scalar(t, i, dflt, this.i16);
  }
  fieldI32(t: FbTable, i: number, dflt = 0): number {
    return this.scalar(t, i, dflt, this.i32);
  }
  fieldI64(t: FbTable, i: number, dflt = 0): number {
    return this.scalar(t, i, dflt, this.i64);
  }

  private scalar(t: FbTable, i: number, dflt: number, read: (this: FlatBufferView, pos: number) => number): number {
    const f = this.field(t, i);
    return f ? read.call(this, f) : dflt;
  }

  /** A vector in field `i`: its element count and the position of element 0 (checked for `elemSize` bytes each). */
  vector(t: FbTable, i: number, elemSize: number): { length: number; start: number } {
    const f = this.field(t, i);
    if (!f) return { length: 0, start: 0 };
    const v = this.deref(f);
    const length = this.u32(v);
    this.check(v + 4, length * elemSize);
    return { length, start: v + 4 };
  }

  /** Element `k` of a vector of tables. */
  tableInVector(start: number, k: number): FbTable {
    return this.tableAt(this.deref(start + 4 * k));
  }

  /** A string in field `i` (empty when absent). */
  string(t: FbTable, i: number): string {
    const f = this.field(t, i);
    if (!f) return '';
    const s = this.deref(f);
    const n = this.u32(s);
    this.check(s + 4, n);
    const dv = this.dv;
    return Buffer.from(dv.buffer, dv.byteOffset + s + 4, n).toString('utf8');
  }
}
