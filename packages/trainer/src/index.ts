export { registerWasmTrainingKernels } from './backend/kernels/register.ts';
export { BACKEND_CHOICES, type BackendChoice, type BackendInfo, selectBackend } from './backend/selectBackend.ts';
export { gatherPixels, type ImageSet, IN_MEMORY_MAX_BYTES, pixelRange, readImageSet } from './data/imageSet.ts';
export { type Augmentation, augmentPixels, type Normalization, pixelsToTensor } from './data/pixels.ts';
export { readTriplets, type TripletList } from './data/tripletsFile.ts';
export { type EmbedImagesOptions, type EmbedImagesResult, embedImages } from './embed/embedImages.ts';
export { type EvaluateOptions, type EvaluateResult, evaluate } from './evaluate/evaluate.ts';
export {
  gatherTripletDistances,
  lossDenominator,
  pairwiseDistances,
  REDUCTIONS,
  type Reduction,
  tripletLoss,
  tripletLossFromMatrix,
  tripletLossParts,
} from './loss/tripletLoss.ts';
export {
  type BatchTriplets,
  mineBatch,
  ONLINE_MINING,
  type OnlineMining,
  semiHardTfa,
} from './mining/batchTriplets.ts';
export { backboneModel, FEATURES, type Features, resolveFeatures } from './model/backboneModel.ts';
export {
  buildEncoder,
  ENCODERS,
  type EncoderName,
  type EncoderOptions,
  modelInputShape,
  withProjectionHead,
} from './model/encoders.ts';
export { L2Normalize } from './model/l2Normalize.ts';
export { type LoadedModel, loadModel, type ModelMetadata, saveModel } from './model/modelIO.ts';
export {
  augmentationOptionSpecs,
  buildIndexOptionSpecs,
  embedImagesOptionSpecs,
  evaluateOptionSpecs,
  normalizationOptionSpecs,
  searchOptionSpecs,
  trainOptionSpecs,
} from './options.ts';
export {
  type BuildIndexOptions,
  type BuildIndexResult,
  buildIndex,
  type ClassDistance,
  type GalleryIndex,
  loadModelWithIdentity,
  type ModelIdentity,
  type Preprocessing,
  type QueryResult,
  readIndex,
  readPreprocessing,
  type SearchHit,
  type SearchOptions,
  type SearchResult,
  search,
  writeIndex,
} from './search/index.ts';
export { Adam } from './train/adam.ts';
export { offlineEpoch, onlineEpoch, type PlannedBatch } from './train/batches.ts';
export { type Checkpoint, loadCheckpoint, saveCheckpoint, type TrainState } from './train/checkpoint.ts';
export { computeStep, type StepConfig, type StepInput, type StepResult } from './train/computeStep.ts';
export { embedSet, precisionAt1 } from './train/evaluate.ts';
export { type EpochLog, type StepLog, type TrainOptions, type TrainResult, train } from './train/train.ts';
