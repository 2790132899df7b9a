import { deriveSeed, Rng, TripletkitError } from '@tripletkit/common';

/**
 * Resolves a class list such as `0-4`, `2,5,7-9` or `cat,dog` against an images file's class names, to label indexes.
 * A token (or each number of an `a-b` range) is a class name when one has that name, else a label index.
 *
 * @example
 * parseClassList('0-2,cat', ['0', '1', '2', 'cat', 'dog'], '--classes'); // [0, 1, 2, 3]
 */
export function parseClassList(spec: string, classes: readonly string[], flag: string): number[] {
  const out = new Set<number>();
  const byName = new Map(classes.map((c, i) => [c, i]));
  for (const raw of spec.split(',')) {
    const token = raw.trim();
    if (token === '') continue;
    const range = /^(\d+)-(\d+)$/.exec(token);
    const names = range && !byName.has(token) ? expand(Number(range[1]), Number(range[2]), token, flag) : [token];
    for (const name of names) {
      const byNameIndex = byName.get(name);
      const index = byNameIndex ?? (/^\d+$/.test(name) ? Number(name) : -1);
      if (index < 0 || index >= classes.length) {
        throw new TripletkitError(
          'E_ARG',
          `${flag} names class "${name}", which the images file does not have (its ${classes.length} classes: ${preview(classes)}).`,
          { hint: 'Give class names or label indexes, separated by commas; a-b is a range.' },
        );
      }
      out.add(index);
    }
  }
  if (out.size === 0) {
    throw new TripletkitError('E_ARG', `${flag} is empty.`, { hint: 'Give classes such as 0-4 or cat,dog.' });
  }
  return [...out].sort((a, b) => a - b);
}

function expand(lo: number, hi: number, token: string, flag: string): string[] {
  if (hi < lo) {
    throw new TripletkitError('E_ARG', `${flag} has the range ${token}, which runs backwards.`, {
      hint: `Write it as ${hi}-${lo}.`,
    });
  }
  return Array.from({ length: hi - lo + 1 }, (_, i) => String(lo + i));
}

function preview(classes: readonly string[]): string {
  return classes.length <= 12 ? classes.join(', ') : `${classes.slice(0, 12).join(', ')}, …`;
}

/**
 * Throws E_ARG unless 0 < fraction < 1 (checked before the images file is opened).
 *
 * @example
 * checkHoldoutFraction(0.3); // fine; checkHoldoutFraction(2) throws
 */
export function checkHoldoutFraction(fraction: unknown): void {
  if (!(typeof fraction === 'number' && fraction > 0 && fraction < 1)) {
    throw new TripletkitError(
      'E_ARG',
      `Expected a number between 0 and 1 (exclusive) for --holdout-fraction but received ${fraction}.`,
      { hint: 'For example --holdout-fraction 0.5 holds out half of the classes.' },
    );
  }
}

/**
 * A seeded choice of `round(fraction · classes)` held-out classes (at least one, at most all but one), among the
 * labels present. The same seed holds out the same classes on every machine.
 *
 * @example
 * holdOutClasses([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 0.3, 1); // three labels, e.g. [2, 5, 8]
 */
export function holdOutClasses(present: readonly number[], fraction: number, seed: number): number[] {
  checkHoldoutFraction(fraction);
  if (present.length < 2) {
    throw new TripletkitError(
      'E_DATA',
      `Holding out classes needs at least two classes; the file has ${present.length}.`,
      {
        hint: 'Split a file with more classes.',
      },
    );
  }
  const n = Math.min(present.length - 1, Math.max(1, Math.round(fraction * present.length)));
  const pool = [...present].sort((a, b) => a - b);
  new Rng(deriveSeed(seed, 0xc1a55)).shuffle(pool);
  return pool.slice(0, n).sort((a, b) => a - b);
}
