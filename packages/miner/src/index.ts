export type { PendingBlock } from './core/pendingBlock.ts';
export { DEFAULT_TILE_SIZE, resolveOptions } from './core/resolveOptions.ts';
export { concatTriplets, emptyTriplets, TripletBuffer } from './core/tripletBuffer.ts';
export {
  type MinedTriplets,
  type MineOptions,
  type Pick,
  type ResolvedOptions,
  STRATEGIES,
  type Strategy,
} from './core/types.ts';
export {
  DISTANCE_KINDS,
  DISTANCES,
  type Distance,
  type DistanceKind,
  distanceTile,
  getDistance,
  isSimilarity,
  kernelInfo,
  l2Normalize,
  squaredNorms,
  type TensorOps,
} from './distances/index.ts';
export {
  type EmbeddingsFile,
  type ReadEmbeddingsOptions,
  readEmbeddings,
  tripletSchema,
  writeTriplets,
} from './io/index.ts';
export { episodeOptionSpecs } from './metrics/episodeOptionSpecs.ts';
export {
  type ClassDistances,
  type ClassRetrieval,
  classDistances,
  type Episode,
  type EpisodeOptions,
  type FewShotOptions,
  type FewShotResult,
  fewShotAccuracy,
  fewShotEpisodes,
  type Labels,
  type MeanWithCi,
  meanConfidence,
  type NearestNeighbors,
  type NearestNeighborsOptions,
  nearestNeighbors,
  type OperatingPoint,
  type RetrievalMetrics,
  type RetrievalMetricsOptions,
  type RetrievalScores,
  resolveEpisodeOptions,
  retrievalMetrics,
  type VerificationOptions,
  type VerificationResult,
  type VerificationScores,
  verification,
  verificationMetrics,
  verificationPairs,
} from './metrics/index.ts';
export { verificationOptionSpecs } from './metrics/verificationOptionSpecs.ts';
export { DEFAULT_MAX_TRIPLETS, mine, mineAsync, minePending, mineStream, shardRange } from './mine.ts';
export { type MineFileOptions, type MineFileResult, mineFile } from './mineFile.ts';
export { DEFAULT_MARGIN, mineFileOptionSpecs } from './mineFileOptionSpecs.ts';
export { type PkBatchOptions, pkBatches } from './sampling/index.ts';
export {
  type BatchTriplets,
  getOnlineStrategy,
  getStrategy,
  type MarginWindow,
  marginWindow,
  ONLINE_MINING,
  type OnlineMining,
  STRATEGY_DEFS,
  type StrategyDef,
  type StrategyOption,
  semiHardTfa,
  tripletMargin,
} from './strategies/index.ts';
