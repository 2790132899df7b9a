import { expectPositiveInteger, invalidArgument } from '@tripletkit/common';

/** Validates a row-major Float32Array matrix of width `dim` and returns its row count. */
export function checkMatrix(name: string, x: unknown, dim: number): number {
  if (!(x instanceof Float32Array)) invalidArgument(name, 'Float32Array', x);
  expectPositiveInteger('dim', dim);
  if (x.length % dim !== 0) {
    invalidArgument(
      `${name}.length`,
      `a multiple of dim (${dim})`,
      x.length,
      'Pass row-major rows of dim values each.',
    );
  }
  return x.length / dim;
}

/** Validates that `x` holds at least `rows` rows of `dim` values. */
export function checkRows(name: string, x: unknown, rows: number, dim: number): void {
  if (!(x instanceof Float32Array)) invalidArgument(name, 'Float32Array', x);
  if (x.length < rows * dim) {
    invalidArgument(`${name}.length`, `at least ${rows}×${dim} = ${rows * dim} values`, x.length);
  }
}
