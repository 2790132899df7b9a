export { type BuildIndexOptions, type BuildIndexResult, buildIndex } from './buildIndex.ts';
export { type GalleryIndex, readIndex, writeIndex } from './indexFile.ts';
export { loadModelWithIdentity, type ModelIdentity } from './modelIdentity.ts';
export { type Preprocessing, readPreprocessing } from './preprocessing.ts';
export {
  type ClassDistance,
  type QueryResult,
  type SearchHit,
  type SearchOptions,
  type SearchResult,
  search,
} from './search.ts';
