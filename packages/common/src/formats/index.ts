export { type ColumnCheck, findColumn, listBatch } from './columns.ts';
export { checkEmbeddings, EMBEDDINGS_META, embeddingsMetadata, embeddingsSchema, isStringLabel } from './embeddings.ts';
export { checkImages, IMAGES_META, type ImagesMeta, imagesSchema, imagesSchemaError } from './images.ts';
export { INDEX_META, indexMetadata, readIndexMetadata } from './indexFile.ts';
export { decodeClasses, decodeSource, encodeSource, type FileKind, SHARED_META, type SourceRef } from './metadata.ts';
export { checkTriplets, TRIPLET_INDEX_COLUMNS, TRIPLETS_META, tripletsSchema } from './triplets.ts';
