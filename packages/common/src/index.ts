export {
  field,
  fixedSizeListData,
  fixedSizeListValues,
  float32Data,
  float32ListType,
  int32Data,
  recordBatch,
  schemaOf,
  uint8ListType,
  utf8Data,
} from './arrowColumns.ts';
export { openArrowDataset } from './arrowDataset.ts';
export {
  BufferRegion,
  FieldNode,
  FileBlock,
  Footer,
  IpcMessage,
  MetadataVersion,
  RecordBatchHeader,
} from './arrowIpc.ts';
export { type ArrowSource, openArrow } from './arrowRead.ts';
export {
  ArrowMessage,
  ArrowTypeId,
  type Data,
  type DataType,
  type Field,
  type FixedSizeList,
  float32Type,
  int32Type,
  isIntType,
  type MessageHeader,
  type RecordBatch,
  type Schema,
  utf8Type,
  type Vector,
} from './arrowTypes.ts';
export { type ArrowFormat, type WriteArrowResult, writeArrow } from './arrowWrite.ts';
export { forgetTemp, sweepStaleTemps, tempPathFor, trackTemp, writeAtomic } from './atomic.ts';
export { type ErrorCode, fsError, isTripletkitError, TripletkitError } from './errors.ts';
export {
  type AddonLoad,
  type AddonName,
  type AddonSpec,
  addonPaths,
  loadAddon,
  nativeDisabledBy,
} from './loadAddon.ts';
export { lockFolder } from './lockFile.ts';
export { checkOutput, outputError } from './outputError.ts';
export { partPath, resolveParts } from './parts.ts';
export { createProgress, type Progress, type ProgressOption } from './progress.ts';
export { deriveSeed, Rng } from './random.ts';
export { resolveShard, type Shard } from './shard.ts';
export { startWorker, workersAvailable } from './startWorker.ts';
export {
  expectBoolean,
  expectNonNegativeInteger,
  expectNumber,
  expectOneOf,
  expectPositiveInteger,
  expectString,
  invalidArgument,
} from './validate.ts';
export { type ArrowPromise, verifyArrow } from './verifyArrow.ts';
