/**
 * Child process of the corruption fuzz (run with a small heap, so that a reader allocating from a corrupt length
 * aborts this child instead of the test runner): `fuzzWorker.ts DIR KIND SEED COUNT [REGION]` prints one JSON line.
 */
import { type FileKind, fuzzKind, type Region, writeGoodFiles } from './corruption.ts';

const [dir, kind, seed, count, region] = process.argv.slice(2);
const files = await writeGoodFiles(dir);
const results = await fuzzKind(dir, files, kind as FileKind, Number(seed), Number(count), region as Region | undefined);
process.stdout.write(`${JSON.stringify(results)}\n`);
