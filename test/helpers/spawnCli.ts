/**
 * The CLI as a child process that a test can signal mid-run (kill -9, SIGTERM, SIGHUP) once a condition holds.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { repoRoot } from './cli.ts';

const mainTs = path.join(repoRoot, 'packages', 'cli', 'src', 'main.ts');

export interface Spawned {
  child: ChildProcess;
  /** Resolves with the exit code (128 + n when killed by signal n) and the output. */
  done: Promise<{ code: number; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

/**
 * @example
 * const run = spawnCli(['load', 'data', '-o', 'o.arrow']);
 * await waitFor(async () => (await fs.readdir('.')).some((f) => f.includes('.tmp-')));
 * run.child.kill('SIGTERM');
 */
export function spawnCli(args: string[], options: { cwd?: string } = {}): Spawned {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', mainTs, ...args], {
    cwd: options.cwd ?? repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => {
    stdout += d;
  });
  child.stderr!.on('data', (d) => {
    stderr += d;
  });
  const done = new Promise<{ code: number; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code: code ?? 128, signal, stdout, stderr })),
  );
  return { child, done };
}

/** Polls `cond` every 10 ms until it holds (true) or `timeoutMs` passes (false). */
export async function waitFor(cond: () => Promise<boolean> | boolean, timeoutMs = 60_000): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await cond()) return true;
    await new Promise((r) => setTimeout(r, 10));
  }
  return false;
}

/** Names under `dir` (recursively) that look like tripletkit temporary outputs or locks. */
export async function leftovers(dir: string): Promise<string[]> {
  const all = await fs.readdir(dir, { recursive: true });
  return all.map(String).filter((f) => /\.tmp-\d+-|\.tmp$|\.lock$/.test(path.basename(f)));
}
