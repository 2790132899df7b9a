import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expectNumber, expectPositiveInteger, TripletkitError } from '@tripletkit/common';
import { type BadFile, openImages } from '@tripletkit/loader';
import { classDistances, nearestNeighbors, readEmbeddings } from '@tripletkit/miner';
import { type BackendChoice, selectBackend } from '../backend/selectBackend.ts';
import { embedImages } from '../embed/embedImages.ts';
import { type GalleryIndex, readIndex } from './indexFile.ts';
import { loadModelWithIdentity } from './modelIdentity.ts';
import { prepareImages } from './queryImages.ts';
import { searchOptionSpecs } from './searchOptionSpecs.ts';

/** Options of {@link search}. */
export interface SearchOptions {
  /** Index file (tripletkit index output), or an index already read. */
  index: string | GalleryIndex;
  /** Queries: image files, one folder, or one images file. */
  query: string | string[];
  /** Nearest gallery items per query. Default 5. */
  k?: number;
  /** Also the distance to every class (nearest member and centroid) and the predicted class. */
  byClass?: boolean;
  /** With `byClass`: a query whose nearest class is farther than this is `unknown`. */
  threshold?: number;
  /** The model, when it moved since the index was built (its digest must match). */
  model?: string;
  backend?: BackendChoice;
}

/** One gallery neighbour. */
export interface SearchHit {
  path: string;
  label: number;
  class: string;
  distance: number;
}

/** Distance from one query to one class. */
export interface ClassDistance {
  class: string;
  label: number;
  /** Distance to the class's nearest member, and that member's path. */
  nearest: number;
  nearestPath: string;
  /** Distance to the class centroid. */
  centroid: number;
}

/** Results of one query. */
export interface QueryResult {
  path: string;
  /** The query's own class when it came labelled (images file or class folders), else null. */
  class: string | null;
  neighbors: SearchHit[];
  /** With `byClass`: every class, nearest first. */
  classes?: ClassDistance[];
  /** With `byClass`: the nearest class by nearest member, or `unknown` when farther than the threshold. */
  predicted?: string;
}

/** What {@link search} found. */
export interface SearchResult {
  index: string;
  model: string;
  galleryRows: number;
  k: number;
  threshold: number | null;
  queries: QueryResult[];
  skipped: BadFile[];
  /** Queries per second of the search itself (embedded queries against the gallery), and of the whole call. */
  queriesPerSecond: { search: number; total: number };
}

/**
 * Finds the k nearest gallery items of each query image (exact, through the miner's streaming distance tiles), and
 * with `byClass` its distance to every class — "the distance from each class" of a Siamese network — with the
 * predicted class, or `unknown` beyond `threshold`. Query images get the model's preprocessing.
 *
 * @example
 * const r = await search({ index: 'gallery.idx.arrow', query: ['new.png'], k: 5, byClass: true, threshold: 0.8 });
 * r.queries[0].predicted; // '7' or 'unknown'
 */
export async function search(options: SearchOptions): Promise<SearchResult> {
  const t0 = performance.now();
  const k = expectPositiveInteger('k', options.k ?? searchOptionSpecs.k.default);
  const threshold = options.threshold === undefined ? null : expectNumber('threshold', options.threshold, { min: 0 });
  const index = typeof options.index === 'string' ? await readIndex(options.index) : options.index;
  // Loading a model needs a backend registered first.
  await selectBackend(options.backend);
  const loaded = await loadModelWithIdentity(options.model ?? index.model.path);
  if (loaded.identity.sha256 !== index.model.sha256) {
    loaded.model.dispose();
    throw new TripletkitError(
      'E_MODEL',
      `The model at ${loaded.identity.path} is not the one ${index.file} was built with (its files changed since).`,
      { hint: 'Rebuild the index with tripletkit index, or pass --model with the original model.' },
    );
  }
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'tripletkit-search-'));
  try {
    const images = await prepareImages([options.query].flat(), index.preprocessing, tmp);
    const embFile = path.join(tmp, 'query-embeddings.arrow');
    const md = loaded.metadata;
    await embedImages(loaded.model, images.file, embFile, {
      backend: options.backend,
      features: index.features,
      ...(md?.normalization ? { normalization: md.normalization } : {}),
    });
    const q = await readEmbeddings(embFile);
    if (q.dim !== index.dim) {
      throw new TripletkitError(
        'E_MODEL',
        `The model gives ${q.dim}-d embeddings but ${index.file} holds ${index.dim}-d.`,
        {
          hint: 'Rebuild the index with this model.',
        },
      );
    }
    const opened = await openImages(images.file);
    const queryPaths = await opened.paths();
    const queryClasses = opened.classes;
    await opened.close();
    const t1 = performance.now();
    const nn = nearestNeighbors(q.embeddings, q.dim, k, { reference: index.embeddings });
    const cd = options.byClass ? classDistances(q.embeddings, index.embeddings, q.dim, index.labels) : undefined;
    const t2 = performance.now();
    const name = (label: number) => index.classes[label] ?? String(label);
    const queries: QueryResult[] = [];
    for (let i = 0; i < q.rows; i++) {
      const neighbors: SearchHit[] = [];
      for (let j = 0; j < nn.k; j++) {
        const r = nn.indices[i * nn.k + j];
        neighbors.push({
          path: index.paths[r],
          label: index.labels[r],
          class: name(index.labels[r]),
          distance: nn.values[i * nn.k + j],
        });
      }
      const result: QueryResult = {
        path: queryPaths[i],
        class: images.labelled ? (queryClasses[q.labels[i]] ?? String(q.labels[i])) : null,
        neighbors,
      };
      if (cd) {
        const C = cd.classes.length;
        const classes: ClassDistance[] = [];
        for (let c = 0; c < C; c++) {
          classes.push({
            class: name(cd.classes[c]),
            label: cd.classes[c],
            nearest: cd.nearest[i * C + c],
            nearestPath: index.paths[cd.nearestRow[i * C + c]],
            centroid: cd.centroid[i * C + c],
          });
        }
        classes.sort((a, b) => a.nearest - b.nearest || a.label - b.label);
        result.classes = classes;
        result.predicted = threshold !== null && classes[0].nearest > threshold ? 'unknown' : classes[0].class;
      }
      queries.push(result);
    }
    const t3 = performance.now();
    return {
      index: index.file,
      model: loaded.identity.path,
      galleryRows: index.labels.length,
      k: nn.k,
      threshold,
      queries,
      skipped: images.skipped,
      queriesPerSecond: { search: q.rows / Math.max(1e-9, (t2 - t1) / 1000), total: q.rows / ((t3 - t0) / 1000) },
    };
  } finally {
    loaded.model.dispose();
    await fs.rm(tmp, { recursive: true, force: true });
  }
}
