/**
 * An advisory lock on an output folder: a `.tripletkit.lock` file holding the owner's pid and host, created
 * exclusively. A second run on the same folder fails with a clear message; a lock left by a process that is gone
 * (kill -9, a crash) is taken over.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { forgetTemp, trackTemp } from './atomic.ts';
import { fsError, TripletkitError } from './errors.ts';

interface LockInfo {
  pid: number;
  host: string;
  started: string;
  command?: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Locks `dir` (created if needed) for this process; returns the function that releases it. The lock is also removed
 * if the process exits on Ctrl-C or SIGTERM.
 *
 * @example
 * const release = await lockFolder('runs/mnist', '--out folder', 'tripletkit train');
 * try { … } finally { await release(); }
 */
export async function lockFolder(dir: string, what: string, command?: string): Promise<() => Promise<void>> {
  try {
    await fs.mkdir(dir, { recursive: true });
  } catch (err) {
    throw fsError(err, dir, what);
  }
  const file = path.join(dir, '.tripletkit.lock');
  const mine: LockInfo = { pid: process.pid, host: os.hostname(), started: new Date().toISOString(), command };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await fs.writeFile(file, `${JSON.stringify(mine)}\n`, { flag: 'wx' });
      trackTemp(file);
      return async () => {
        forgetTemp(file);
        await fs.rm(file, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw fsError(err, dir, what);
    }
    let owner: LockInfo | undefined;
    try {
      owner = JSON.parse(await fs.readFile(file, 'utf8')) as LockInfo;
    } catch {
      owner = undefined; // unreadable or half-written: treat as stale after a short grace
      await new Promise((r) => setTimeout(r, 50));
    }
    const stale = !owner || (owner.host === mine.host && !alive(owner.pid));
    if (!stale) {
      throw new TripletkitError(
        'E_LOCKED',
        `The ${what} ${dir} is in use by another ${owner!.command ?? 'tripletkit run'} (pid ${owner!.pid} on ${owner!.host}, since ${owner!.started}).`,
        {
          hint: `Wait for it to finish or choose another folder; if no such process exists, delete ${file}.`,
        },
      );
    }
    // The owner is gone (kill -9, crash): take the lock over.
    await fs.rm(file, { force: true });
  }
  throw new TripletkitError('E_LOCKED', `The ${what} ${dir} could not be locked (another run keeps taking it).`, {
    hint: 'Run one training per output folder.',
  });
}
