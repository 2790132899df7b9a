/** Runs the corruption fuzz worker in a child with a capped heap and a wall-clock limit. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FileKind, Region } from './corruption.ts';

const worker = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fuzzWorker.ts');

export interface FuzzCase {
  region: Region;
  format: string;
  how: string;
  outcome: string;
  ms: number;
}

/**
 * @example
 * const cases = await runFuzz(dir, 'embeddings', 1, 500);
 */
export function runFuzz(
  dir: string,
  kind: FileKind,
  seed: number,
  count: number,
  options: { region?: Region; heapMb?: number; timeoutMs?: number } = {},
): Promise<FuzzCase[]> {
  const args = [`--max-old-space-size=${options.heapMb ?? 384}`, '--conditions=source', '--import', 'tsx', worker];
  args.push(dir, kind, String(seed), String(count));
  if (options.region) args.push(options.region);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code !== 0) {
        reject(new Error(`fuzz worker (${kind}) ended with ${signal ?? `exit ${code}`}: ${err.slice(-1500)}`));
        return;
      }
      resolve(JSON.parse(out.trim().split('\n').pop()!) as FuzzCase[]);
    });
  });
}
