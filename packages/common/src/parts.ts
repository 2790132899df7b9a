/**
 * Datasets in parts, as schedulers' array jobs write them: `NAME-part-00003-of-00010.arrow`. Every tripletkit input
 * that takes a file also takes a folder or a glob of parts, read as one dataset in part order (as pyarrow.dataset and
 * Hugging Face datasets read shards); row numbers run across the parts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fsError, TripletkitError } from './errors.ts';

const PART = /-part-(\d+)-of-(\d+)\.[^.]+$/;

/**
 * The name shard `index` of `count` writes for `output`: `mined.arrow` → `mined-part-00003-of-00010.arrow`
 * (five digits at least, so names sort in part order).
 *
 * @example
 * partPath('out/emb.arrow', 3, 10); // 'out/emb-part-00003-of-00010.arrow'
 */
export function partPath(output: string, index: number, count: number): string {
  const ext = path.extname(output) || '.arrow';
  const base = output.slice(0, output.length - path.extname(output).length);
  const pad = (n: number) => String(n).padStart(5, '0');
  return `${base}-part-${pad(index)}-of-${pad(count)}${ext}`;
}

/** `*`, `?` and `[…]` in the last path segment, as a RegExp over names. */
function globRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else if (ch === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        re += `[${pattern
          .slice(i + 1, end)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else re += ch.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** Part files first by their part index, then by name. */
function partOrder(a: string, b: string): number {
  const pa = PART.exec(a);
  const pb = PART.exec(b);
  if (pa && pb && pa[2] === pb[2] && pa[1] !== pb[1]) return Number(pa[1]) - Number(pb[1]);
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A complete set `-part-i-of-n` for each n named (a missing part would silently drop rows). */
function checkComplete(input: string, files: string[], what: string): void {
  const byCount = new Map<string, Set<number>>();
  for (const f of files) {
    const m = PART.exec(path.basename(f));
    if (!m) continue;
    const key = `${path.dirname(f)}/${path.basename(f).slice(0, m.index)}|${Number(m[2])}`;
    if (!byCount.has(key)) byCount.set(key, new Set());
    byCount.get(key)?.add(Number(m[1]));
  }
  for (const [key, seen] of byCount) {
    const [stem, n] = key.split('|');
    for (let i = 0; i < Number(n); i++) {
      if (!seen.has(i)) {
        throw new TripletkitError(
          'E_NOT_FOUND',
          `The ${what} ${input} lacks part ${i} of ${n} (${path.basename(partPath(`${stem}.arrow`, i, Number(n)))}).`,
          { hint: 'Wait for every shard of the array job to finish (or rerun the missing one), then read the parts.' },
        );
      }
    }
  }
}

/**
 * The files an input names: the file itself; every `.arrow` file of a folder; or the files a glob (`*`, `?`, `[…]` in
 * the last segment) matches — in part order (`-part-i-of-n` by i, else by name), checked complete.
 *
 * @example
 * resolveParts('emb/');             // ['emb/emb-part-00000-of-00002.arrow', 'emb/emb-part-00001-of-00002.arrow']
 * resolveParts('emb-part-*.arrow'); // the same parts, by glob
 */
export function resolveParts(input: string, what = 'Arrow file'): string[] {
  let files: string[];
  const base = path.basename(input);
  if (/[*?[]/.test(base) && !fs.existsSync(input)) {
    const dir = path.dirname(input);
    const re = globRegExp(base);
    let names: string[];
    try {
      names = fs.readdirSync(dir);
    } catch (err) {
      throw fsError(err, dir, `folder of the ${what} parts`);
    }
    files = names.filter((n) => re.test(n)).map((n) => path.join(dir, n));
    if (files.length === 0) {
      throw new TripletkitError('E_NOT_FOUND', `No file matches the ${what} pattern ${input}.`, {
        hint: 'Check the pattern (quote it so the shell does not expand it) and the folder.',
      });
    }
  } else {
    let st: fs.Stats;
    try {
      st = fs.statSync(input);
    } catch (err) {
      throw fsError(err, input, what);
    }
    if (!st.isDirectory()) return [input];
    files = fs
      .readdirSync(input)
      .filter((n) => n.endsWith('.arrow') && !n.startsWith('.'))
      .map((n) => path.join(input, n));
    if (files.length === 0) {
      throw new TripletkitError('E_EMPTY', `The ${what} folder ${input} holds no .arrow files.`, {
        hint: 'Point at the folder the shards wrote their NAME-part-i-of-n.arrow files to, or at one file.',
      });
    }
  }
  files = files.filter((f) => {
    try {
      return fs.statSync(f).isFile();
    } catch {
      return false;
    }
  });
  files.sort((a, b) => partOrder(path.basename(a), path.basename(b)));
  checkComplete(input, files, what);
  return files;
}
