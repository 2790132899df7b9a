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
export {
  type ClassRetrieval,
  type Labels,
  type NearestNeighbors,
  type NearestNeighborsOptions,
  nearestNeighbors,
  type RetrievalMetrics,
  type RetrievalMetricsOptions,
  type RetrievalScores,
  retrievalMetrics,
} from './metrics/index.ts';
