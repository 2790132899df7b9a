/**
 * Argument validation at the public boundary, in sharp's style:
 * "Expected positive integer for tileSize but received -3". Validate once, where the user's value enters.
 */
import { TripletkitError } from './errors.ts';

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) {
    return String(value);
  }
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  return `a ${typeof value}`;
}

/** Throws an `E_ARG` error: "Expected {expected} for {name} but received {value}". */
export function invalidArgument(name: string, expected: string, value: unknown, hint?: string): never {
  throw new TripletkitError('E_ARG', `Expected ${expected} for ${name} but received ${describe(value)}`, {
    hint: hint ?? `Pass ${expected} as ${name}.`,
  });
}

/**
 * @example
 * const tile = expectPositiveInteger('tileSize', options.tileSize ?? 256);
 */
export function expectPositiveInteger(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    invalidArgument(name, 'positive integer', value);
  }
  return value;
}

/** Non-negative integer (0 allowed), e.g. a seed or a row index. */
export function expectNonNegativeInteger(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    invalidArgument(name, 'non-negative integer', value);
  }
  return value;
}

/** A finite number, optionally within [min, max]. */
export function expectNumber(name: string, value: unknown, range: { min?: number; max?: number } = {}): number {
  const { min, max } = range;
  const expected =
    min !== undefined && max !== undefined
      ? `number between ${min} and ${max}`
      : min !== undefined
        ? `number >= ${min}`
        : max !== undefined
          ? `number <= ${max}`
          : 'finite number';
  if (typeof value !== 'number' || !Number.isFinite(value)) invalidArgument(name, expected, value);
  if ((min !== undefined && value < min) || (max !== undefined && value > max)) invalidArgument(name, expected, value);
  return value;
}

/**
 * One of a fixed set of strings.
 *
 * @example
 * const d = expectOneOf('distance', opts.distance, ['euclidean', 'cosine'] as const);
 */
export function expectOneOf<const T extends string>(name: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    invalidArgument(name, `one of ${allowed.join(', ')}`, value);
  }
  return value as T;
}

/** A non-empty string. */
export function expectString(name: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) invalidArgument(name, 'non-empty string', value);
  return value;
}

/** A boolean. */
export function expectBoolean(name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') invalidArgument(name, 'boolean', value);
  return value;
}
