/**
 * Filesystem errors on outputs as user errors: a folder where the output file should go, a file where a folder
 * should be, no permission, a read-only filesystem, a full disk — one sentence naming the output (never the temp
 * file) and what to do. {@link checkOutput} finds most of them before any work starts.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { forgetTemp, tempPathFor, trackTemp } from './atomic.ts';
import { TripletkitError } from './errors.ts';

const REASONS: Record<string, [string, string]> = {
  EISDIR: ['a folder is in the way', 'Give a file path, or remove that folder.'],
  ENOTDIR: ['a file stands where a folder of its path should be', 'Choose a path whose parents are folders.'],
  EEXIST: ['a file stands where a folder of its path should be', 'Choose a path whose parents are folders.'],
  EACCES: ['permission denied', 'Choose a folder you can write to, or fix its permissions.'],
  EPERM: ['permission denied', 'Choose a folder you can write to, or fix its permissions.'],
  EROFS: ['the filesystem is read-only', 'Write to a writable filesystem.'],
  ENOSPC: ['the disk is full', 'Free some space or write elsewhere; nothing was written.'],
  EDQUOT: ['the disk quota is exceeded', 'Free some space or write elsewhere; nothing was written.'],
  ENAMETOOLONG: ['the name is too long', 'Choose a shorter path.'],
  EMFILE: ['too many files are open', 'Raise the open-file limit (ulimit -n) and run again.'],
};

/**
 * A Node fs error while writing `target` → an `E_OUTPUT` TripletkitError; anything else is returned unchanged.
 *
 * @example
 * try { await writeArrow(out, schema, batches) } catch (e) { throw outputError(e, out) }
 */
export function outputError(err: unknown, target: string, what = 'output'): unknown {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const reason = code ? REASONS[code] : undefined;
  if (!reason || err instanceof TripletkitError) return err;
  return new TripletkitError('E_OUTPUT', `Cannot write the ${what} ${target}: ${reason[0]} (${code}).`, {
    hint: reason[1],
    cause: err,
  });
}

/**
 * Checks, before the work starts, that `target` can be written: its folder exists or can be made, it is not a folder
 * (for a file output), and a file can be created beside it (catches permissions, read-only filesystems, a full disk).
 *
 * @example
 * await checkOutput('out/mined.arrow', 'output file');
 */
export async function checkOutput(
  target: string,
  what = 'output file',
  kind: 'file' | 'folder' = 'file',
): Promise<void> {
  const dir = kind === 'folder' ? path.resolve(target) : path.dirname(path.resolve(target));
  try {
    const st = await fs.stat(target).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return undefined;
      throw e;
    });
    if (kind === 'file' && st?.isDirectory()) throw Object.assign(new Error('EISDIR'), { code: 'EISDIR' });
    if (kind === 'folder' && st && !st.isDirectory()) throw Object.assign(new Error('ENOTDIR'), { code: 'ENOTDIR' });
    await fs.mkdir(dir, { recursive: true });
    const probe = tempPathFor(kind === 'folder' ? path.join(dir, 'probe') : target);
    trackTemp(probe); // a signal during the probe must not leave it behind
    const fh = await fs.open(probe, 'wx');
    try {
      await fh.write(Buffer.alloc(1)); // a full disk fails here, not at open
    } finally {
      await fh.close();
      await fs.rm(probe, { force: true });
      forgetTemp(probe);
    }
  } catch (err) {
    throw outputError(err, target, what);
  }
}
