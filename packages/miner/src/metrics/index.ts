export type { Labels } from './checks.ts';
export { type ClassDistances, classDistances } from './classDistances.ts';
export { type FewShotOptions, type FewShotResult, fewShotAccuracy } from './fewShotAccuracy.ts';
export { type Episode, type EpisodeOptions, fewShotEpisodes, resolveEpisodeOptions } from './fewShotEpisodes.ts';
export { type MeanWithCi, meanConfidence } from './meanConfidence.ts';
export { type NearestNeighbors, type NearestNeighborsOptions, nearestNeighbors } from './nearestNeighbors.ts';
export {
  type ClassRetrieval,
  type RetrievalMetrics,
  type RetrievalMetricsOptions,
  type RetrievalScores,
  retrievalMetrics,
} from './retrievalMetrics.ts';
export { type VerificationOptions, type VerificationResult, verification, verificationPairs } from './verification.ts';
export { type OperatingPoint, type VerificationScores, verificationMetrics } from './verificationMetrics.ts';
