/**
 * Zero-copy builders and readers for the column types tripletkit's files use (docs/formats.md).
 */
import {
  type Data,
  type DataType,
  Field,
  FixedSizeList,
  Float32,
  Int32,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  Uint8,
  Utf8,
  type Vector,
  vectorFromArray,
} from 'apache-arrow';

/** FixedSizeList<Float32>[dim] type (non-nullable items), e.g. the `embedding` column. */
export function float32ListType(dim: number): FixedSizeList<Float32> {
  return new FixedSizeList(dim, new Field('item', new Float32(), false));
}

/** FixedSizeList<Uint8>[size] type, e.g. the `pixels` column. */
export function uint8ListType(size: number): FixedSizeList<Uint8> {
  return new FixedSizeList(size, new Field('item', new Uint8(), false));
}

/**
 * A FixedSizeList column over `values` (row-major, `listSize` values per row), without copying.
 *
 * @example
 * const emb = fixedSizeListData(new Float32Array(n * 64), 64); // n rows of 64 floats
 */
export function fixedSizeListData(values: Float32Array | Uint8Array, listSize: number): Data<FixedSizeList> {
  const childType = values instanceof Float32Array ? new Float32() : new Uint8();
  const child = makeData({
    type: childType as Float32,
    length: values.length,
    nullCount: 0,
    data: values as Float32Array,
  });
  const type = new FixedSizeList<Float32 | Uint8>(listSize, new Field('item', childType, false));
  return makeData({
    type,
    length: values.length / listSize,
    nullCount: 0,
    child: child as Data<Float32 | Uint8>,
  }) as Data<FixedSizeList>;
}

/** An Int32 column over `values`, without copying. */
export function int32Data(values: Int32Array): Data<Int32> {
  return makeData({ type: new Int32(), length: values.length, nullCount: 0, data: values });
}

/** A Float32 column over `values`, without copying. */
export function float32Data(values: Float32Array): Data<Float32> {
  return makeData({ type: new Float32(), length: values.length, nullCount: 0, data: values });
}

/** A Utf8 column from strings. */
export function utf8Data(values: readonly string[]): Data<Utf8> {
  return vectorFromArray(values as string[], new Utf8()).data[0] as Data<Utf8>;
}

/** A field of the given type, non-nullable unless said otherwise. */
export function field(name: string, type: DataType, nullable = false): Field {
  return new Field(name, type, nullable);
}

/**
 * A schema with string metadata.
 *
 * @example
 * const schema = schemaOf([field('label', new Int32())], { 'tripletkit.kind': 'embeddings' });
 */
export function schemaOf(fields: Field[], metadata: Record<string, string> = {}): Schema {
  return new Schema(fields, new Map(Object.entries(metadata)));
}

/** A record batch from column data in schema order. */
export function recordBatch(schema: Schema, columns: Data[]): RecordBatch {
  const length = columns.length ? columns[0].length : 0;
  const data = makeData({ type: new Struct(schema.fields), length, nullCount: 0, children: columns });
  return new RecordBatch(schema, data);
}

/**
 * The values of a FixedSizeList column as one row-major typed array. One chunk → a view (no copy); several → copied.
 * Sliced data is honoured (apache-arrow's child `values` are already offset).
 */
export function fixedSizeListValues<T extends Float32Array | Uint8Array>(vector: Vector): T {
  const listSize = (vector.type as FixedSizeList).listSize;
  const parts: T[] = vector.data.map((d) => {
    const child = d.children[0];
    const values = child.values as T;
    return values.subarray(d.offset * listSize, (d.offset + d.length) * listSize) as T;
  });
  if (parts.length === 1) return parts[0];
  const total = parts.reduce((s, p) => s + p.length, 0);
  const out = new (parts[0].constructor as new (n: number) => T)(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
