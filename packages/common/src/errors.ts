/**
 * Every error tripletkit throws on purpose is a {@link TripletkitError}: a stable machine-readable `code`,
 * a one-sentence message naming the file/row/option at fault, and a `hint` saying what to do about it.
 * The CLI prints `message` (and `hint`) without a stack trace unless `--verbose` is given.
 */

/** Stable error codes. Extend freely; never rename an existing one (scripts match on them). */
export type ErrorCode =
  | 'E_ARG' // an argument or option has the wrong type or range
  | 'E_NOT_FOUND' // a file or folder does not exist
  | 'E_UNREADABLE' // a file exists but cannot be read (permissions, is a directory, ...)
  | 'E_NOT_ARROW' // a file is not Arrow IPC (file or stream format)
  | 'E_TRUNCATED' // an Arrow file ends early or is otherwise corrupt
  | 'E_SCHEMA' // columns missing or of the wrong type
  | 'E_DATA' // values that cannot be used (NaN, null label, out-of-range index, ...)
  | 'E_BUDGET' // a result would exceed its memory budget (mine()'s maxTriplets); stream it or cap it
  | 'E_EMPTY' // no rows / no images where some are needed
  | 'E_IMAGE' // an image could not be decoded (with --strict)
  | 'E_MANIFEST' // a manifest row is malformed or names a missing file
  | 'E_BACKEND' // a TensorFlow.js backend is unavailable
  | 'E_MODEL' // a model cannot be loaded or does not fit the data
  | 'E_TRAINING' // training diverged (NaN loss, ...)
  | 'E_INTERRUPTED' // the user pressed Ctrl-C (or sent SIGTERM/SIGHUP)
  | 'E_WRITE' // an output file did not read back as written (short write, dropped data)
  | 'E_LOCKED' // an output folder is in use by another run
  | 'E_OUTPUT'; // an output cannot be written (a folder in the way, read-only, disk full, ...)

/**
 * Marks a TripletkitError whichever copy of this module made it: the CLI's bundle holds one copy and a library loaded
 * beside it (the trainer) another, so `instanceof` checks the mark, not the class's identity.
 */
const MARK = Symbol.for('tripletkit.TripletkitError');

/** An expected, user-facing failure. */
export class TripletkitError extends Error {
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[MARK] === true;
  }

  readonly code: ErrorCode;
  readonly hint: string | undefined;

  /**
   * @example
   * throw new TripletkitError('E_DATA', 'Row 17 of emb.arrow has a NaN in its embedding.', {
   *   hint: 'Check the model that produced the embeddings.',
   * });
   */
  constructor(code: ErrorCode, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TripletkitError';
    this.code = code;
    this.hint = options.hint;
    Object.defineProperty(this, MARK, { value: true });
  }
}

/** True when `err` is a {@link TripletkitError}, optionally with the given code. */
export function isTripletkitError(err: unknown, code?: ErrorCode): err is TripletkitError {
  return err instanceof TripletkitError && (code === undefined || err.code === code);
}

/**
 * Turns a Node fs error about `path` into a {@link TripletkitError}; other errors are returned unchanged.
 *
 * @example
 * try { await fs.open(p) } catch (e) { throw fsError(e, p, 'embeddings file') }
 */
export function fsError(err: unknown, path: string, what = 'file'): unknown {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') {
    return new TripletkitError('E_NOT_FOUND', `The ${what} ${path} does not exist.`, {
      hint: 'Check the path (relative paths are resolved from the current directory).',
      cause: err,
    });
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return new TripletkitError('E_UNREADABLE', `The ${what} ${path} cannot be read (permission denied).`, {
      hint: 'Fix its permissions or copy it somewhere readable.',
      cause: err,
    });
  }
  if (code === 'EISDIR') {
    return new TripletkitError('E_UNREADABLE', `The ${what} ${path} is a directory, not a file.`, {
      hint: 'Give the path of a file.',
      cause: err,
    });
  }
  return err;
}
