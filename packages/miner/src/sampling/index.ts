export { type PkBatchOptions, pkBatches } from './pkBatches.ts';
