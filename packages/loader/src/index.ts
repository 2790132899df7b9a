export { imagesSchema } from '@tripletkit/common/formats';
export { decodeSmallPng, isPng } from './decode/decodeSmallPng.ts';
export { resizeRaw } from './decode/resizeRaw.ts';
export { openImages } from './read/openImageParts.ts';
export { type ImagesFile, openImagesFile } from './read/openImages.ts';
export { IMAGE_EXTENSIONS, listFolder } from './sources/listFolder.ts';
export { readIdx } from './sources/readIdx.ts';
export { parseCsvLine, readManifest } from './sources/readManifest.ts';
export { readPairs } from './sources/readPairs.ts';
export {
  holdOutClasses,
  parseClassList,
  type SplitOptions,
  type SplitResult,
  splitImages,
  splitOptionSpecs,
} from './split/index.ts';
export type {
  BadFile,
  FailOn,
  Fit,
  ImageSource,
  Kernel,
  LoadOptions,
  LoadSummary,
} from './types.ts';
export { loadImages } from './write/loadImages.ts';
export { DEFAULT_LIMIT_INPUT_PIXELS, loadOptionSpecs } from './write/loadOptionSpecs.ts';
export { defaultBatchRows } from './write/resolveOptions.ts';
export { type WriteImagesOptions, writeImages } from './write/writeImages.ts';
