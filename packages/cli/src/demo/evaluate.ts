/**
 * `tripletkit eval`'s library function: retrieval metrics of an embeddings file (against itself or a reference
 * file), or of a model on an images file (embedded first).
 */
import { TripletkitError } from '@tripletkit/common';
import { type DistanceKind, type RetrievalMetrics, retrievalMetrics } from '@tripletkit/miner';
import { readEmbeddings } from './readEmbeddings.ts';

/** Options of {@link evaluate}. */
export interface EvaluateOptions {
  /** Query embeddings file. */
  embeddings?: string;
  /** Reference embeddings file; absent → the queries are their own reference set (self excluded). */
  reference?: string;
  distance?: DistanceKind;
  normalize?: boolean;
}

/** Result of {@link evaluate}: the metrics plus where they came from. */
export interface EvaluateResult extends RetrievalMetrics {
  embeddingsFile: string;
  referenceFile: string | null;
  dim: number;
  classes: string[];
}

/**
 * @example
 * const r = await evaluate({ embeddings: 'test-emb.arrow' });
 * console.log(r.precisionAt1, r.mapAtR);
 */
export async function evaluate(options: EvaluateOptions): Promise<EvaluateResult> {
  if (!options.embeddings) {
    throw new TripletkitError('E_ARG', 'Nothing to evaluate: give --embeddings (or --model with --images).', {
      hint: 'tripletkit eval --embeddings embeddings.arrow [--reference reference.arrow]',
    });
  }
  const q = await readEmbeddings(options.embeddings);
  const r = options.reference ? await readEmbeddings(options.reference) : undefined;
  if (r && r.dim !== q.dim) {
    throw new TripletkitError(
      'E_DATA',
      `The reference file ${options.reference} has ${r.dim}-dimensional embeddings but ${options.embeddings} has ${q.dim}.`,
      { hint: 'Embed both with the same model.' },
    );
  }
  const m = retrievalMetrics(q.embeddings, q.dim, q.labels, {
    distance: options.distance,
    normalize: options.normalize,
    ...(r ? { reference: r.embeddings, referenceLabels: r.labels } : {}),
  });
  return {
    ...m,
    embeddingsFile: options.embeddings,
    referenceFile: options.reference ?? null,
    dim: q.dim,
    classes: q.classes.length ? q.classes : (r?.classes ?? []),
  };
}
