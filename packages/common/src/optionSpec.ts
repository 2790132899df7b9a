/**
 * Option specs: a library declares each option of a public function once — type, default, choices and a
 * one-line description — and both the function's users and the CLI read them. The CLI turns a spec into a flag
 * (`tileSize` → `--tile-size`, its default and choices included); the library function itself validates the values,
 * before it reads any input, with the same messages for CLI and library users.
 */

/** One option of a library function. */
export interface OptionSpec {
  type: 'number' | 'string' | 'boolean';
  /** One line for `--help`. */
  describe: string;
  /** The library's default (left out: none, or one computed from the input). */
  default?: number | string | boolean;
  /** The allowed values. */
  choices?: readonly (string | number)[];
  /** Several values (`--idx a b`). */
  array?: boolean;
}

/** A library function's options by property name. */
export type OptionSpecs = Record<string, OptionSpec>;
