/**
 * The CSV reading shared by every manifest (path/label and pairs): RFC 4180 quoting through csv-parse, newlines inside
 * quoted fields, a UTF-8 BOM dropped, empty lines skipped, and each record's line number for error messages.
 */
import { TripletkitError } from '@tripletkit/common';
import { parse } from 'csv-parse/sync';

/** One CSV record and the line it ends on (1-based). */
export interface CsvRecord {
  record: string[];
  line: number;
}

/**
 * Parses a manifest's CSV text; the first record is the header. `what` names the file in the error ("the manifest
 * data/train.csv").
 *
 * @example
 * const [header, ...rows] = csvRecords('path,label\n"a,b.png",cat\n', 'the manifest x.csv');
 * // header.record = ['path', 'label'], rows[0] = { record: ['a,b.png', 'cat'], line: 2 }
 */
export function csvRecords(text: string, what: string): CsvRecord[] {
  type Parsed = { record: string[]; info: { lines: number } };
  try {
    const parsed = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true, info: true });
    return (parsed as unknown as Parsed[]).map((r) => ({ record: r.record, line: r.info.lines }));
  } catch (err) {
    const line = (err as { lines?: number }).lines ?? 0;
    throw new TripletkitError('E_MANIFEST', `Row ${line} of ${what} is not valid CSV (${(err as Error).message}).`, {
      hint: 'Quote fields with "…" and double inner quotes ("").',
    });
  }
}
