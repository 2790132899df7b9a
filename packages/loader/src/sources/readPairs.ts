/**
 * A pairs manifest (`anchor,positive` per row: two images of the same thing — look-alike products, a query and the
 * document clicked) → items labelled by group, so that mining and training work unchanged: the two images of a pair
 * are positives of each other and every other group supplies negatives. Pairs that share an image join one group
 * (same-ness is transitive), and each distinct image becomes one row.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { fsError, TripletkitError } from '@tripletkit/common';
import { csvRecords } from './csvRecords.ts';
import type { ImageItem, ResolvedSource } from './imageItem.ts';

interface Pair {
  line: number;
  anchor: string;
  positive: string;
}

function pairsError(file: string, line: number, what: string, hint: string): TripletkitError {
  return new TripletkitError('E_MANIFEST', `Line ${line} of the pairs manifest ${file} ${what}.`, { hint });
}

function parse(file: string, text: string): Pair[] {
  const pairs: Pair[] = [];
  if (path.extname(file).toLowerCase() === '.csv') {
    const [head, ...rows] = csvRecords(text, `the pairs manifest ${file}`);
    const header = (head?.record ?? []).map((h) => h.trim().toLowerCase());
    const a = header.indexOf('anchor');
    const p = header.indexOf('positive');
    if (a < 0 || p < 0) {
      throw new TripletkitError('E_MANIFEST', `The pairs manifest ${file} has no "anchor" and "positive" columns.`, {
        hint: 'Start the CSV with a header line such as: anchor,positive',
      });
    }
    for (const { record, line } of rows) {
      if (record.every((c) => c.trim() === '')) continue;
      const anchor = record[a]?.trim() ?? '';
      const positive = record[p]?.trim() ?? '';
      if (!anchor || !positive) {
        throw pairsError(file, line, 'lacks an anchor or a positive path', 'Give two image paths on every row.');
      }
      pairs.push({ line, anchor, positive });
    }
  } else {
    const lines = text.split(/\r?\n/);
    for (let i = 0; i < lines.length; i++) {
      if (lines[i].trim() === '') continue;
      let o: { anchor?: unknown; positive?: unknown };
      try {
        o = JSON.parse(lines[i]);
      } catch {
        throw pairsError(file, i + 1, 'is not valid JSON', 'Write one object per line: {"anchor": …, "positive": …}');
      }
      if (typeof o?.anchor !== 'string' || typeof o.positive !== 'string' || !o.anchor || !o.positive) {
        throw pairsError(file, i + 1, 'lacks "anchor" or "positive" paths', 'Give two image paths on every row.');
      }
      pairs.push({ line: i + 1, anchor: o.anchor, positive: o.positive });
    }
  }
  return pairs;
}

/**
 * Reads a pairs manifest (`.csv` with `anchor,positive` columns, or JSON lines with those keys). Labels are group
 * numbers in order of first appearance (classes `'0'`, `'1'`, …); relative paths resolve against the manifest's folder.
 *
 * @example
 * const { items, classes } = await readPairs('data/pairs.csv'); // 2 rows per pair, one label per pair (group)
 */
export async function readPairs(file: string): Promise<ResolvedSource> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    throw fsError(err, file, 'pairs manifest');
  }
  const pairs = parse(file, text);
  if (pairs.length === 0) {
    throw new TripletkitError('E_EMPTY', `The pairs manifest ${file} lists no pairs.`, {
      hint: 'Add one row per pair: anchor,positive',
    });
  }
  // Union-find over image paths: pairs sharing an image are one group.
  const index = new Map<string, number>();
  const parent: number[] = [];
  const firstLine: number[] = [];
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]];
      x = parent[x];
    }
    return x;
  };
  const id = (p: string, line: number) => {
    let i = index.get(p);
    if (i === undefined) {
      i = parent.length;
      index.set(p, i);
      parent.push(i);
      firstLine.push(line);
    }
    return i;
  };
  for (const pr of pairs) {
    const a = find(id(pr.anchor, pr.line));
    const b = find(id(pr.positive, pr.line));
    if (a !== b) parent[Math.max(a, b)] = Math.min(a, b); // the earlier image stays the root: stable numbering
  }
  const group = new Map<number, number>();
  const root = path.dirname(path.resolve(file));
  const items: ImageItem[] = [];
  for (const [p, i] of index) {
    const r = find(i);
    if (!group.has(r)) group.set(r, group.size);
    items.push({ path: p, file: path.resolve(root, p), label: group.get(r) as number });
  }
  for (const it of items) {
    const st = await fs.stat(it.file as string).catch(() => undefined);
    if (!st?.isFile()) {
      throw pairsError(
        file,
        firstLine[index.get(it.path) as number],
        `names ${it.path}, which does not exist or is not a file`,
        `Relative paths resolve against the manifest's folder (${root}); fix or remove that row.`,
      );
    }
  }
  const classes = Array.from({ length: group.size }, (_, g) => String(g));
  return { kind: 'manifest', root, items, classes, ignored: 0 };
}
