export {
  DISTANCE_KINDS,
  type DistanceKind,
  distanceTile,
  isSimilarity,
  kernelInfo,
  l2Normalize,
  squaredNorms,
} from './distances/index.ts';
export { type PkBatchOptions, pkBatches } from './sampling/index.ts';
