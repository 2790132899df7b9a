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
export { type ArrowSource, openArrow } from './arrowRead.ts';
export { type ArrowFormat, type WriteArrowResult, writeArrow } from './arrowWrite.ts';
export { forgetTemp, sweepStaleTemps, tempPathFor, trackTemp, writeAtomic } from './atomic.ts';
export { type ErrorCode, fsError, isTripletkitError, TripletkitError } from './errors.ts';
export { lockFolder } from './lockFile.ts';
export { checkOutput, outputError } from './outputError.ts';
export { createProgress, type Progress } from './progress.ts';
export { deriveSeed, Rng } from './random.ts';
export {
  expectBoolean,
  expectNonNegativeInteger,
  expectNumber,
  expectOneOf,
  expectPositiveInteger,
  expectString,
  invalidArgument,
} from './validate.ts';
