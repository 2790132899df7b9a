/**
 * Atomic output: write to a temporary name beside the target, rename when complete. A failed or interrupted run
 * never leaves a half-written file under the target name, and a good file already there is only replaced by a
 * complete one.
 *
 * Temporary names carry their owner: `.<name>.tmp-<pid>-<host tag><random>`. Ctrl-C, SIGTERM and SIGHUP remove them
 * on the way out (see the CLI); what a kill -9 or a power cut leaves behind is removed by the next write into the same
 * folder once its owner process is gone ({@link sweepStaleTemps}).
 */
import { createHash, randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { outputError } from './outputError.ts';

// Temp files still open; removed synchronously if the process exits (Ctrl-C → process.exit) before they are renamed.
const pending = new Set<string>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const p of pending) {
      try {
        rmSync(p, { recursive: true, force: true });
      } catch {
        // Nothing more to clean.
      }
    }
  });
}

/** 4 hex digits naming this machine, so that a sweep never judges a temp file written by another host's process. */
const HOST_TAG = createHash('sha1').update(os.hostname()).digest('hex').slice(0, 4);
const TEMP_RE = /^\..+\.tmp-(\d+)-([0-9a-f]{4})[0-9a-f]{4}(\.old)?$/;

/** A temporary path in the same directory as `target` (same filesystem, so rename is atomic). */
export function tempPathFor(target: string): string {
  const dir = path.dirname(target);
  const base = path.basename(target);
  return path.join(dir, `.${base}.tmp-${process.pid}-${HOST_TAG}${randomBytes(2).toString('hex')}`);
}

function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes temporary outputs in `dir` left by tripletkit processes of this machine that are no longer running (a
 * kill -9, a crash, a power cut). Returns the names removed. Never fails: a folder it cannot read is left alone.
 *
 * @example
 * await sweepStaleTemps('runs/mnist'); // ['.checkpoint.tmp-4242-ab12cd34']
 */
export async function sweepStaleTemps(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const m = TEMP_RE.exec(name);
    if (!m || m[2] !== HOST_TAG || processAlive(Number(m[1]))) continue;
    try {
      if (m[3]) {
        // A previous output moved aside by a directory replacement that never finished: put it back if nothing
        // replaced it, since it is the only good copy.
        const target = path.join(dir, name.slice(1, name.lastIndexOf('.tmp-')));
        const exists = await fs.stat(target).then(
          () => true,
          () => false,
        );
        if (!exists) {
          await fs.rename(path.join(dir, name), target);
          removed.push(name);
          continue;
        }
      }
      await fs.rm(path.join(dir, name), { recursive: true, force: true });
      removed.push(name);
    } catch {
      // Not ours to remove after all (permissions): leave it.
    }
  }
  return removed;
}

/** Registers a temp path for removal at exit (until {@link forgetTemp}). */
export function trackTemp(p: string): void {
  installExitHook();
  pending.add(p);
}

/** The temp path was renamed or removed: no cleanup at exit. */
export function forgetTemp(p: string): void {
  pending.delete(p);
}

/**
 * Runs `write(tmpPath)` and renames the result onto `target`; on any error the temp file is removed and the error
 * rethrown. Works for files and for directories (a model folder).
 *
 * @example
 * await writeAtomic('out.json', async (tmp) => fs.writeFile(tmp, JSON.stringify(result)));
 */
export async function writeAtomic<T>(target: string, write: (tmpPath: string) => Promise<T>): Promise<T> {
  const dir = path.dirname(path.resolve(target));
  try {
    await fs.mkdir(dir, { recursive: true });
  } catch (err) {
    throw outputError(err, target);
  }
  await sweepStaleTemps(dir);
  const tmp = tempPathFor(target);
  trackTemp(tmp);
  try {
    const result = await write(tmp);
    const stat = await fs.stat(tmp).catch(() => undefined);
    if (stat?.isDirectory()) {
      // rename() cannot replace a non-empty directory: move the old one aside first, then drop it.
      // Never tracked for removal: until the second rename it is the only good copy (a sweep restores it).
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
    // Name the output, not the temp file: "Cannot write the output out.arrow: the disk is full (ENOSPC)."
    throw outputError(err, target);
  } finally {
    forgetTemp(tmp);
  }
}
