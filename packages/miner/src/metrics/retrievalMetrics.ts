import { TripletkitError } from '@tripletkit/common';
import type { DistanceKind } from '../distances/registry.ts';
import {
  checkEmbeddings,
  checkLabelled,
  checkLabels,
  type DistanceOptions,
  type Labels,
  normalizes,
  resolveDistance,
} from './checks.ts';
import { neighborBlocksFor } from './neighborBlocks.ts';

/** Options of {@link retrievalMetrics}. */
export interface RetrievalMetricsOptions extends DistanceOptions {
  /** Reference embeddings to retrieve from. Absent: the queries are their own reference set (self excluded). */
  reference?: Float32Array;
  /** Labels of `reference` (required with it). */
  referenceLabels?: Labels;
}

/** The three retrieval scores, each a mean over the evaluated queries. */
export interface RetrievalScores {
  /** Fraction of queries whose nearest reference has their label. */
  precisionAt1: number;
  /** Mean over queries of (same-label references among the R nearest) / R. */
  rPrecision: number;
  /** Mean over queries of (1/R) Σ_{i≤R} P@i · [i-th neighbour has the label] (Musgrave et al., 2020). */
  mapAtR: number;
}

/** Scores of the queries of one class. Scores are null when none of its queries could be evaluated. */
export interface ClassRetrieval {
  label: number;
  /** Queries of this class that were evaluated. */
  queries: number;
  /** Queries of this class skipped because no reference shares their label (R = 0). */
  excluded: number;
  /** R for this class: same-label references of each of its queries. */
  r: number;
  precisionAt1: number | null;
  rPrecision: number | null;
  mapAtR: number | null;
}

/** Result of {@link retrievalMetrics}: overall (mean over queries, PML's default) and per class. */
export interface RetrievalMetrics extends RetrievalScores {
  /** Queries evaluated. */
  queries: number;
  /** Queries skipped because no reference shares their label (PML drops them too). */
  excludedQueries: number;
  references: number;
  /** Queries are the references (self excluded by row index). */
  sameSource: boolean;
  distance: DistanceKind;
  normalized: boolean;
  /** Neighbours retrieved per query: the largest R. */
  k: number;
  /** Mean of the per-class scores (PML's avg_of_avgs=True), over classes with evaluated queries. */
  classAverage: RetrievalScores;
  /** One entry per query label, ascending. */
  perClass: ClassRetrieval[];
}

/**
 * Precision@1, R-precision and MAP@R with PyTorch Metric Learning's AccuracyCalculator semantics:
 * R = the number of references sharing the query's label (minus the query itself when the queries are the
 * reference set, where a query never retrieves itself, by row index); queries with R = 0 are excluded and counted.
 * Exact k-NN with k = max R, streamed over distance tiles: memory is a block of queries × k, never N × N.
 * Neighbour ties are broken by the smaller reference row (PML leaves tie order to faiss/torch.topk).
 *
 * @example
 * const m = retrievalMetrics(testEmb, 64, testLabels);
 * console.log(m.precisionAt1, m.rPrecision, m.mapAtR);
 * const vsTrain = retrievalMetrics(testEmb, 64, testLabels, { reference: trainEmb, referenceLabels: trainLabels });
 */
export function retrievalMetrics(
  query: Float32Array,
  dim: number,
  queryLabels: Labels,
  options: RetrievalMetricsOptions = {},
): RetrievalMetrics {
  const { rows: queryRows, labels: qLabels } = checkLabelled('query', query, dim, 'queryLabels', queryLabels);
  const o = resolveDistance(options);
  const sameSource = options.reference === undefined;
  if (sameSource && options.referenceLabels !== undefined) {
    throw new TripletkitError('E_ARG', 'referenceLabels was given without reference embeddings.', {
      hint: 'Pass both reference and referenceLabels, or neither to use the queries as the reference set.',
    });
  }
  const referenceRows = sameSource ? queryRows : checkEmbeddings('reference', options.reference, dim);
  if (!sameSource && options.referenceLabels === undefined) {
    throw new TripletkitError('E_ARG', 'reference embeddings were given without referenceLabels.', {
      hint: 'Pass the labels of the reference rows as referenceLabels.',
    });
  }
  const rLabels = sameSource ? qLabels : checkLabels('referenceLabels', options.referenceLabels, referenceRows);
  if (queryRows === 0) {
    throw new TripletkitError('E_EMPTY', 'There are no query embeddings to evaluate.', {
      hint: 'Give a non-empty embeddings file.',
    });
  }

  const refCount = new Map<number, number>();
  for (let i = 0; i < referenceRows; i++) refCount.set(rLabels[i], (refCount.get(rLabels[i]) ?? 0) + 1);
  const rOf = (label: number) => (refCount.get(label) ?? 0) - (sameSource ? 1 : 0);
  let k = 0;
  for (let i = 0; i < queryRows; i++) k = Math.max(k, rOf(qLabels[i]));

  const classes = new Map<number, { total: number; queries: number; p1: number; rp: number; map: number }>();
  for (let i = 0; i < queryRows; i++) {
    const c = classes.get(qLabels[i]);
    if (c) c.total++;
    else classes.set(qLabels[i], { total: 1, queries: 0, p1: 0, rp: 0, map: 0 });
  }

  if (k > 0) {
    const blocks = neighborBlocksFor(query, queryRows, options.reference, referenceRows, dim, o, k);
    for (const b of blocks) {
      for (let qi = 0; qi < b.rows; qi++) {
        const label = qLabels[b.start + qi];
        const c = classes.get(label)!;
        const R = rOf(label);
        if (R <= 0) continue;
        const base = qi * b.k;
        let hits = 0;
        let ap = 0;
        for (let j = 0; j < R; j++) {
          if (rLabels[b.indices[base + j]] === label) {
            hits++;
            ap += hits / (j + 1);
          }
        }
        c.queries++;
        c.p1 += rLabels[b.indices[base]] === label ? 1 : 0;
        c.rp += hits / R;
        c.map += ap / R;
      }
    }
  }

  let evaluated = 0;
  let excluded = 0;
  const sum = { p1: 0, rp: 0, map: 0 };
  const avg = { p1: 0, rp: 0, map: 0, n: 0 };
  const perClass: ClassRetrieval[] = [];
  for (const label of [...classes.keys()].sort((a, b) => a - b)) {
    const c = classes.get(label)!;
    const R = rOf(label);
    // Every query of a class has the same R, so a class is either fully evaluated or fully excluded.
    const classExcluded = R <= 0 ? c.total : 0;
    evaluated += c.queries;
    excluded += classExcluded;
    sum.p1 += c.p1;
    sum.rp += c.rp;
    sum.map += c.map;
    const has = c.queries > 0;
    if (has) {
      avg.p1 += c.p1 / c.queries;
      avg.rp += c.rp / c.queries;
      avg.map += c.map / c.queries;
      avg.n++;
    }
    perClass.push({
      label,
      queries: c.queries,
      excluded: classExcluded,
      r: Math.max(0, R),
      precisionAt1: has ? c.p1 / c.queries : null,
      rPrecision: has ? c.rp / c.queries : null,
      mapAtR: has ? c.map / c.queries : null,
    });
  }
  if (evaluated === 0) {
    throw new TripletkitError(
      'E_EMPTY',
      `No query can be evaluated: none of the ${queryRows} queries has a reference with the same label.`,
      { hint: 'Each class needs at least two rows (or one reference row) for retrieval metrics.' },
    );
  }
  return {
    precisionAt1: sum.p1 / evaluated,
    rPrecision: sum.rp / evaluated,
    mapAtR: sum.map / evaluated,
    queries: evaluated,
    excludedQueries: excluded,
    references: referenceRows,
    sameSource,
    distance: o.distance,
    normalized: normalizes(o),
    k,
    classAverage: { precisionAt1: avg.p1 / avg.n, rPrecision: avg.rp / avg.n, mapAtR: avg.map / avg.n },
    perClass,
  };
}
