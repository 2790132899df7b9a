/**
 * A CSV or JSONL manifest (`path,label` per row) → items. Relative paths resolve against the manifest's folder; every
 * named file must exist (a missing one is a clear error naming the row, before any decoding starts).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { fsError, TripletkitError } from '@tripletkit/common';
import pLimit from 'p-limit';
import { classesOf } from './classesOf.ts';
import { csvRecords } from './csvRecords.ts';
import type { ImageItem, ResolvedSource } from './imageItem.ts';

/**
 * Splits one CSV line (RFC 4180 quotes, `""` escapes).
 *
 * @example
 * parseCsvLine('a,"b, ""c""",d'); // ['a', 'b, "c"', 'd']
 */
export function parseCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"') {
        if (line[i + 1] === '"') {
          cur += '"';
          i++;
        } else quoted = false;
      } else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

interface Row {
  line: number;
  path: string;
  label: string;
}

function manifestError(file: string, line: number, what: string, hint: string): TripletkitError {
  return new TripletkitError('E_MANIFEST', `Row ${line} of the manifest ${file} ${what}.`, { hint });
}

function parseCsv(file: string, text: string): Row[] {
  const rowsIn = csvRecords(text, `the manifest ${file}`);
  const header = (rowsIn[0]?.record ?? []).map((h) => h.trim().toLowerCase());
  const pi = header.indexOf('path');
  const li = header.indexOf('label');
  if (pi < 0 || li < 0) {
    throw new TripletkitError('E_MANIFEST', `The manifest ${file} has no "path" and "label" columns in its header.`, {
      hint: 'Start the CSV with a header line such as: path,label',
    });
  }
  const rows: Row[] = [];
  for (const { record, line } of rowsIn.slice(1)) {
    if (record.every((c) => c.trim() === '')) continue;
    const p = record[pi] ?? '';
    const l = record[li]?.trim() ?? '';
    if (!p.trim()) throw manifestError(file, line, 'has an empty path', 'Give every row a path.');
    if (!l) throw manifestError(file, line, 'has an empty label', 'Give every row a label.');
    // Paths keep inner newlines and spaces (they are file names); only surrounding spaces of unquoted cells go.
    rows.push({ line, path: p.includes('\n') ? p : p.trim(), label: l });
  }
  return rows;
}

function parseJsonl(file: string, text: string): Row[] {
  const rows: Row[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() === '') continue;
    let obj: unknown;
    try {
      obj = JSON.parse(lines[i]);
    } catch {
      throw manifestError(file, i + 1, 'is not valid JSON', 'Write one JSON object per line: {"path": …, "label": …}');
    }
    const o = obj as { path?: unknown; label?: unknown };
    if (typeof o?.path !== 'string' || o.path === '') {
      throw manifestError(
        file,
        i + 1,
        'has no "path" string',
        'Write one JSON object per line: {"path": …, "label": …}',
      );
    }
    if ((typeof o.label !== 'string' && typeof o.label !== 'number') || o.label === '') {
      throw manifestError(file, i + 1, 'has no "label" (string or number)', 'Give every row a label.');
    }
    rows.push({ line: i + 1, path: o.path, label: String(o.label) });
  }
  return rows;
}

/**
 * Reads a manifest (`.csv`, or `.jsonl`/`.ndjson`/`.json` with one object per line).
 *
 * @example
 * const { items, classes } = await readManifest('data/train.csv');
 */
export async function readManifest(file: string): Promise<ResolvedSource> {
  let text: string;
  try {
    const st = await fs.stat(file);
    if (st.isDirectory()) throw Object.assign(new Error('EISDIR'), { code: 'EISDIR' });
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    throw fsError(err, file, 'manifest');
  }
  if (text.trim() === '') {
    throw new TripletkitError('E_EMPTY', `The manifest ${file} is empty.`, {
      hint: 'Write one row per image: a "path,label" header then path,label lines (CSV), or JSON lines.',
    });
  }
  const ext = path.extname(file).toLowerCase();
  const rows = ext === '.csv' ? parseCsv(file, text) : parseJsonl(file, text);
  if (rows.length === 0) {
    throw new TripletkitError('E_EMPTY', `The manifest ${file} lists no images.`, {
      hint: 'Add one row per image: path,label',
    });
  }
  const root = path.dirname(path.resolve(file));
  const { classes, ids } = classesOf(rows.map((r) => r.label));
  const items: ImageItem[] = rows.map((r) => ({
    path: r.path,
    file: path.resolve(root, r.path),
    label: ids.get(r.label)!,
  }));
  // Check every file up front: a typo in row 90 000 should fail in a second, not after an hour of decoding.
  const limit = pLimit(64);
  const missing = await Promise.all(
    items.map((it, i) =>
      limit(async () => {
        try {
          const st = await fs.stat(it.file!);
          return st.isFile() ? -1 : i;
        } catch {
          return i;
        }
      }),
    ),
  );
  const first = missing.find((i) => i >= 0);
  if (first !== undefined) {
    const count = missing.filter((i) => i >= 0).length;
    throw manifestError(
      file,
      rows[first].line,
      `names ${rows[first].path}, which does not exist or is not a file (${count} such row${count > 1 ? 's' : ''})`,
      `Relative paths resolve against the manifest's folder (${root}); fix or remove those rows.`,
    );
  }
  return { kind: 'manifest', root, items, classes, ignored: 0 };
}
