export { type EmbeddingsFile, type ReadEmbeddingsOptions, readEmbeddings } from './readEmbeddings.ts';
export { tripletBatch, tripletSchema, writeTriplets } from './writeTriplets.ts';
