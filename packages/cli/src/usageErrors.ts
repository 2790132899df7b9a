/**
 * Usage errors as the user typed them: the libraries validate their options by property name ("Expected positive
 * integer for tileSize but received -3"); on the command line that is the flag `--tile-size`. Also catches number
 * flags given without a usable value, which yargs turns into NaN or undefined.
 */
import { TripletkitError } from '@tripletkit/common/errors';
import type { Options } from 'yargs';

const camel = (kebab: string) => kebab.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** Option name (camelCase and kebab-case) → the flag as typed, for one command's options. */
export function flagNames(options: Record<string, Options>): Map<string, string> {
  const names = new Map<string, string>();
  for (const kebab of Object.keys(options)) {
    names.set(kebab, `--${kebab}`);
    names.set(camel(kebab), `--${kebab}`);
  }
  return names;
}

/**
 * Rewrites a validator's message to name the flag, and "received undefined" as "none was given".
 *
 * @example
 * flagMessage('Expected positive integer for tileSize but received -3', names);
 * // 'Expected positive integer for --tile-size but received -3' (and the hint 'Pass … as tileSize.' likewise)
 */
export function flagMessage(message: string, names: Map<string, string>): string {
  return message
    .replace(/\b(for|as) ([A-Za-z][\w-]*)(?= but received\b|\.)/g, (whole, word: string, name: string) => {
      const flag = names.get(name);
      return flag ? `${word} ${flag}` : whole;
    })
    .replace(/ but received undefined\b/, ' but none was given');
}

/**
 * Throws an E_ARG error for a number flag given without a number: `--tile-size` last or followed by another flag
 * (yargs would silently use the default), `--tile-size=`, or `--k abc` (NaN).
 */
export function checkNumberFlags(options: Record<string, Options>, argv: Record<string, unknown>, raw: string[]): void {
  for (const [kebab, opt] of Object.entries(options)) {
    if (opt.type !== 'number') continue;
    const spellings = [`--${kebab}`, ...[opt.alias ?? []].flat().map((a) => (a.length === 1 ? `-${a}` : `--${a}`))];
    const valueless = raw.some((tok, i) => {
      if (spellings.some((f) => tok === `${f}=`)) return true;
      if (!spellings.includes(tok)) return false;
      const next = raw[i + 1];
      return next === undefined || (next.startsWith('-') && Number.isNaN(Number(next)));
    });
    const key = camel(kebab);
    const values = Array.isArray(argv[key]) ? (argv[key] as unknown[]) : [argv[key]];
    const bad = key in argv && !values.every((v) => v === undefined || (typeof v === 'number' && !Number.isNaN(v)));
    if (!valueless && !bad) continue;
    throw new TripletkitError(
      'E_ARG',
      `Expected a number for --${kebab} but ${valueless ? 'none was given' : 'received text'}`,
      {
        hint: `Give it as --${kebab} <number>.`,
      },
    );
  }
}
