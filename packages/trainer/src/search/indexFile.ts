import { type ArrowFormat, openArrow, writeArrow } from '@tripletkit/common';
import { embeddingsSchema, indexMetadata, listBatch, readIndexMetadata } from '@tripletkit/common/formats';
import { readEmbeddings } from '@tripletkit/miner';
import type { ModelIdentity } from './modelIdentity.ts';
import type { Preprocessing } from './preprocessing.ts';

/** A search index in memory: the gallery's embeddings with their labels, paths, classes and the model that made them. */
export interface GalleryIndex {
  file: string;
  embeddings: Float32Array;
  dim: number;
  labels: Int32Array;
  paths: string[];
  classes: string[];
  model: ModelIdentity;
  preprocessing: Preprocessing;
  /** The model's representation the gallery was embedded with; queries get the same. */
  features: 'embedding' | 'backbone';
}

/**
 * Writes an index file: an embeddings file (embedding, label, path — any embeddings reader takes it) whose metadata
 * adds `tripletkit.kind` = `index`, `tripletkit.classes`, `tripletkit.model` (path and sha256 of the model) and
 * `tripletkit.preprocessing` (size, channels, fit, kernel that query images must get).
 *
 * @example
 * await writeIndex('gallery.idx.arrow', index);
 */
export async function writeIndex(file: string, index: Omit<GalleryIndex, 'file'>, format?: ArrowFormat) {
  const schema = embeddingsSchema(index.dim, indexMetadata(index));
  const batch = listBatch(schema, index.embeddings, index.labels, index.paths);
  return writeArrow(file, schema, [batch], { format });
}

/**
 * Reads an index file written by {@link writeIndex} (`tripletkit index`).
 *
 * @example
 * const g = await readIndex('gallery.idx.arrow'); // g.embeddings, g.labels, g.paths, g.model.path
 */
export async function readIndex(file: string): Promise<GalleryIndex> {
  const e = await readEmbeddings(file, { what: 'index file' });
  const meta = readIndexMetadata<GalleryIndex['model'], Preprocessing>(e.metadata, file);
  const paths: string[] = [];
  const src = await openArrow(file, 'index file');
  try {
    for await (const b of src.batches()) {
      const col = b.getChild('path');
      for (let i = 0; i < b.numRows; i++) paths.push(String(col?.get(i) ?? ''));
    }
  } finally {
    await src.close();
  }
  return {
    file,
    embeddings: e.embeddings,
    dim: e.dim,
    labels: e.labels,
    paths,
    ...meta,
  };
}
