/** Labels as names → a class list (each name once) and dense ids. */
/**
 * Class names and dense label ids. A label is a name: each distinct one becomes one class, stored once, whatever its
 * value (`999999999` is one class, never a list of a billion). When every name is a non-negative integer they sort
 * numerically (so `0`…`9` keep their ids); otherwise in code-point order.
 *
 * @example
 * classesOf(['999999999', '0', '7']).classes; // ['0', '7', '999999999']
 */
export function classesOf(labels: Iterable<string>): { classes: string[]; ids: Map<string, number> } {
  const names = [...new Set(labels)];
  if (names.every((n) => /^(0|[1-9]\d*)$/.test(n))) {
    names.sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
  } else {
    names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }
  const ids = new Map<string, number>();
  names.forEach((n, i) => {
    ids.set(n, i);
  });
  return { classes: names, ids };
}
