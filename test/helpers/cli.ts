/**
 * Runs the tripletkit CLI from source (tsx, `source` export condition), so end-to-end tests need no build step.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
/** Repository root. */
export const repoRoot = path.resolve(here, '..', '..');
const mainTs = path.join(repoRoot, 'packages', 'cli', 'src', 'main.ts');

/** Result of one CLI run. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * @example
 * const r = await runCli(['mine', '--embeddings', 'e.arrow', '--strategy', 'all', '-o', 'm.arrow', '--json']);
 * assert.equal(r.code, 0, r.stderr);
 */
export function runCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', mainTs, ...args], {
      cwd: options.cwd ?? repoRoot,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

/** A fresh temporary directory. */
export function tempDir(prefix = 'tripletkit-test-'): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), prefix));
}
