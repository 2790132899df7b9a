/**
 * Atomic output: write to a temporary name beside the target, rename when complete. A failed or interrupted run
 * never leaves a half-written file under the target name, and a good file already there is only replaced by a
 * complete one.
 */
import { randomBytes } from 'node:crypto';
import { unlinkSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fsError } from './errors.ts';

// Temp files still open; removed synchronously if the process exits (Ctrl-C → process.exit) before they are renamed.
const pending = new Set<string>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const p of pending) {
      try {
        unlinkSync(p);
      } catch {
        // Already gone: nothing to clean.
      }
    }
  });
}

/** A temporary path in the same directory as `target` (same filesystem, so rename is atomic). */
export function tempPathFor(target: string): string {
  const dir = path.dirname(target);
  const base = path.basename(target);
  return path.join(dir, `.${base}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
}

/**
 * Runs `write(tmpPath)` and renames the result onto `target`; on any error the temp file is removed and the error
 * rethrown. Works for files and for directories (a model folder).
 *
 * @example
 * await writeAtomic('out.json', async (tmp) => fs.writeFile(tmp, JSON.stringify(result)));
 */
export async function writeAtomic<T>(target: string, write: (tmpPath: string) => Promise<T>): Promise<T> {
  installExitHook();
  const dir = path.dirname(path.resolve(target));
  try {
    await fs.mkdir(dir, { recursive: true });
  } catch (err) {
    throw fsError(err, dir, 'output folder');
  }
  const tmp = tempPathFor(target);
  pending.add(tmp);
  try {
    const result = await write(tmp);
    const stat = await fs.stat(tmp).catch(() => undefined);
    if (stat?.isDirectory()) {
      // rename() cannot replace a non-empty directory: move the old one aside first, then drop it.
      const old = `${tmp}.old`;
      const hadOld = await fs
        .rename(target, old)
        .then(() => true)
        .catch(() => false);
      await fs.rename(tmp, target);
      if (hadOld) await fs.rm(old, { recursive: true, force: true });
    } else {
      await fs.rename(tmp, target);
    }
    return result;
  } catch (err) {
    await fs.rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    throw err;
  } finally {
    pending.delete(tmp);
  }
}
