/**
 * Metadata rules every tripletkit file kind shares (docs/formats.md "Common rules"): string keys under `tripletkit.`,
 * numbers in decimal, lists and objects as JSON. Each key has one encoding; readers also accept what older versions
 * wrote, so files already on disk keep working.
 */

/** The file kinds, the value of `tripletkit.kind`. */
export type FileKind = 'images' | 'embeddings' | 'triplets' | 'index';

/** Keys every kind may carry. */
export const SHARED_META = {
  /** `images`, `embeddings`, `triplets` or `index`. */
  kind: 'tripletkit.kind',
  /** Set by readers of sharded outputs: the number of parts read as one dataset (decimal). */
  parts: 'tripletkit.parts',
  /** Which kernel/backend computed the values (kernels round differently). */
  kernel: 'tripletkit.kernel',
} as const;

/** A file another file was made from: `{"file": …, "rows": N}` as JSON. */
export interface SourceRef {
  file: string;
  rows: number;
}

/**
 * The one encoding of a source reference (`tripletkit.source`, `tripletkit.reference`, `tripletkit.split.source`).
 *
 * @example
 * encodeSource('emb.arrow', 50); // '{"file":"emb.arrow","rows":50}'
 */
export function encodeSource(file: string, rows: number): string {
  return JSON.stringify({ file, rows } satisfies SourceRef);
}

/** `FILE (N rows)`: how embeddings and split files recorded their source before the encoding was unified. */
const LEGACY_SOURCE = /^(.*) \((\d+) rows\)$/s;

/**
 * Reads a source reference in either encoding (JSON, or the older `FILE (N rows)`); undefined when absent or unreadable.
 *
 * @example
 * decodeSource('{"file":"emb.arrow","rows":50}'); // { file: 'emb.arrow', rows: 50 }
 * decodeSource('images.arrow (60000 rows)');       // { file: 'images.arrow', rows: 60000 }
 */
export function decodeSource(value: string | undefined): SourceRef | undefined {
  if (!value) return undefined;
  try {
    const parsed = JSON.parse(value) as Partial<SourceRef> | null;
    if (parsed && typeof parsed === 'object' && Number.isInteger(parsed.rows)) {
      return { file: String(parsed.file ?? ''), rows: parsed.rows as number };
    }
    return undefined;
  } catch {
    const m = LEGACY_SOURCE.exec(value);
    return m ? { file: m[1], rows: Number(m[2]) } : undefined;
  }
}

/**
 * The class names of a `tripletkit.classes` value (JSON array; index = label), or undefined when absent or not an array.
 *
 * @example
 * decodeClasses('["ant","bee"]'); // ['ant', 'bee']
 */
export function decodeClasses(value: string | undefined): string[] | undefined {
  if (!value) return undefined;
  try {
    const parsed = JSON.parse(value);
    return Array.isArray(parsed) ? parsed.map(String) : undefined;
  } catch {
    return undefined;
  }
}
