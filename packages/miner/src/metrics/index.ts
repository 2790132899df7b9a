export type { Labels } from './checks.ts';
export { type NearestNeighbors, type NearestNeighborsOptions, nearestNeighbors } from './nearestNeighbors.ts';
export {
  type ClassRetrieval,
  type RetrievalMetrics,
  type RetrievalMetricsOptions,
  type RetrievalScores,
  retrievalMetrics,
} from './retrievalMetrics.ts';
