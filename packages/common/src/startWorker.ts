/**
 * The one way tripletkit's worker pools (miner mining, loader decoding, trainer data-parallel steps) start a worker
 * thread, from built JavaScript and from TypeScript sources alike. Node 20 does not pass tsx's module hooks to worker
 * threads, so from sources the worker registers tsx itself first (tsx is a dev dependency: dist never takes that path).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** tsx's register API when it is installed (source checkouts), else undefined. */
function tsxApi(): string | undefined {
  try {
    return import.meta.resolve('tsx/esm/api');
  } catch {
    return undefined;
  }
}

/** True when `moduleUrl` runs from TypeScript sources (tests, benchmarks) rather than dist. */
function fromSource(moduleUrl: string): boolean {
  return path.extname(fileURLToPath(moduleUrl)) === '.ts';
}

/**
 * True when the module at `moduleUrl` can start workers: built JavaScript, or sources with tsx available.
 *
 * @example
 * if (threads > 1 && workersAvailable(import.meta.url)) pool = spawn();
 */
export function workersAvailable(moduleUrl: string): boolean {
  return !fromSource(moduleUrl) || tsxApi() !== undefined;
}

/**
 * Starts worker module `name` (no extension), which lies next to the module at `moduleUrl` with its extension.
 *
 * @example
 * const worker = startWorker(import.meta.url, 'mineWorker', { workerData });
 */
export function startWorker(moduleUrl: string, name: string, options: WorkerOptions = {}): Worker {
  const entry = new URL(`./${name}${path.extname(fileURLToPath(moduleUrl))}`, moduleUrl);
  if (!fromSource(moduleUrl)) return new Worker(entry, options);
  const tsx = tsxApi() ?? import.meta.resolve('tsx/esm/api'); // the second call throws Node's own "cannot find" error
  const boot = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(boot, { ...options, eval: true });
}
