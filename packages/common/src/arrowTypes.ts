/**
 * The Arrow column types and type checks other tripletkit packages need, from common's one apache-arrow copy.
 *
 * Why: a user's project may hold another apache-arrow version, and npm then gives each package that depends on it a
 * private copy. apache-arrow recognises its own objects with `instanceof`, so a type built by one copy and written by
 * another is silently dropped (a corrupt file). Only this package imports apache-arrow at run time; the others build
 * types here and inspect what they read structurally (by `typeId`), never with `instanceof`.
 */
import { type DataType, Float32, Int32, Type, Utf8 } from 'apache-arrow';

export type { Data, DataType, Field, FixedSizeList, RecordBatch, Schema, Vector } from 'apache-arrow';
/** Arrow's type ids (numbers fixed by the Arrow format, so equal in every apache-arrow version). */
export { Message as ArrowMessage, type MessageHeader, Type as ArrowTypeId } from 'apache-arrow';

/** Int32 column type. */
export function int32Type(): DataType {
  return new Int32();
}

/** Float32 column type. */
export function float32Type(): DataType {
  return new Float32();
}

/** Utf8 column type. */
export function utf8Type(): DataType {
  return new Utf8();
}

/** The fields of an Arrow type as apache-arrow exposes them, checked by value rather than class. */
interface TypeLike {
  typeId?: number;
  bitWidth?: number;
  isSigned?: boolean;
}

/**
 * Whether `type` is an integer type of `bits` bits and the given signedness, from any apache-arrow copy.
 *
 * @example
 * isIntType(schema.fields[1].type, 32, true); // an Int32 label column
 */
export function isIntType(type: unknown, bits: number, signed: boolean): boolean {
  const t = type as TypeLike | undefined;
  return t?.typeId === Type.Int && t.bitWidth === bits && t.isSigned === signed;
}
