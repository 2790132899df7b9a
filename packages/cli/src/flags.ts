/**
 * Flags from a library's option specs: `tileSize` → `--tile-size` with the library's type, default, choices and
 * description, so a command declares which options it offers and never restates them. The values are read back with
 * {@link optionsFrom} and handed to the library unchanged; the library validates them before it reads any input.
 */
import type { OptionSpec, OptionSpecs } from '@tripletkit/common/options';
import type { Options } from 'yargs';

/** The value yargs parses for one spec: one of its choices, or a value of its type. */
type ValueOf<S extends OptionSpec> = S extends { readonly choices: readonly (infer C)[] }
  ? C
  : S['type'] extends 'number'
    ? number
    : S['type'] extends 'boolean'
      ? boolean
      : string;
type ParsedOf<S extends OptionSpec> = S extends { readonly array: true } ? ValueOf<S>[] : ValueOf<S>;
/** Options with a value after parsing: those with a default, and those the command demands. */
type Given<S extends OptionSpecs, D> = {
  [K in keyof S]: S[K] extends { readonly default: unknown } ? K : K extends D ? K : never;
}[keyof S];

/**
 * The parsed options of flags built from `S` (by the library's property names), typed from the specs instead of
 * restated: an option with a default, or one in `Demanded` (`demandOption`), always has a value.
 *
 * @example
 * type SearchArgs = ArgsOf<typeof searchOptionSpecs, 'index' | 'query'>; // { index: string; query: string[]; k: number; threshold?: number; … }
 */
export type ArgsOf<S extends OptionSpecs, Demanded extends keyof S = never> = {
  -readonly [K in Given<S, Demanded>]: ParsedOf<S[K]>;
} & { -readonly [K in Exclude<keyof S, Given<S, Demanded>>]?: ParsedOf<S[K]> };

const kebab = (camel: string) => camel.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** yargs' form of one spec: choices of strings are shown as choices only, as yargs lists them best. */
function flagOf(spec: OptionSpec): Options {
  const flag: Options = { describe: spec.describe };
  if (!(spec.choices && spec.type === 'string')) flag.type = spec.type;
  if (spec.choices) flag.choices = [...spec.choices];
  if (spec.default !== undefined) flag.default = spec.default;
  if (spec.array) flag.array = true;
  return flag;
}

/**
 * The flags for `names` (in that order, which is `--help`'s), each optionally with CLI-only settings (alias, required).
 *
 * @example
 * options: { ...flags(mineFileOptionSpecs, ['strategy', 'margin'], { strategy: { alias: 's', demandOption: true } }) }
 */
export function flags<S extends OptionSpecs>(
  specs: S,
  names: readonly (keyof S & string)[],
  extra: Partial<Record<keyof S & string, Options>> = {},
): Record<string, Options> {
  const out: Record<string, Options> = {};
  for (const name of names) out[kebab(name)] = { ...flagOf(specs[name]), ...extra[name] };
  return out;
}

/**
 * The parsed values of every option in `specs` (by the library's property names), for the library call.
 *
 * @example
 * await mineFile({ ...optionsFrom<MineFileOptions>(mineFileOptionSpecs, args), embeddings: args.embeddings, output });
 */
export function optionsFrom<T>(specs: OptionSpecs, args: object): Partial<T> {
  const values = args as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(specs)) if (values[name] !== undefined) out[name] = values[name];
  return out as Partial<T>;
}
