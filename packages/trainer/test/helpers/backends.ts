/**
 * Which backends the trainer's tests run on: wasm always, tensorflow where @tensorflow/tfjs-node(-gpu) can be loaded
 * (after `pnpm tensorflow:install`), so the same tests check both and say plainly when tensorflow is skipped.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { tensorflowInstallDirs } from '../../src/backend/selectBackend.ts';

let cached: boolean | undefined;

/** Whether a tfjs-node package is installed and loads (checked in a child process: a failed load can't be undone). */
export function tensorflowInstalled(): boolean {
  if (cached !== undefined) return cached;
  const candidates: string[] = [];
  for (const pkg of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
    try {
      candidates.push(createRequire(import.meta.url).resolve(pkg));
    } catch {
      // not next to the trainer
    }
    for (const dir of tensorflowInstallDirs()) {
      const main = path.join(dir, 'node_modules', pkg);
      if (fs.existsSync(path.join(main, 'package.json'))) candidates.push(main);
    }
  }
  cached = candidates.some(
    (c) => spawnSync(process.execPath, ['-e', `require(${JSON.stringify(c)})`], { stdio: 'ignore' }).status === 0,
  );
  return cached;
}

/** The reason printed when the tensorflow half of a test is skipped. */
export const TENSORFLOW_SKIP = 'tensorflow backend not installed (pnpm tensorflow:install); tested on wasm only';
