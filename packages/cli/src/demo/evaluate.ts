/**
 * `tripletkit eval`'s library function: retrieval metrics of an embeddings file (against itself or a reference
 * file), or of a model on an images file (embedded first).
 */
import { TripletkitError } from '@tripletkit/common';
import {
  type DistanceKind,
  type EmbeddingsFile,
  type RetrievalMetrics,
  readEmbeddings,
  retrievalMetrics,
} from '@tripletkit/miner';

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
  // One label map for both files, so string labels with the same name get the same id.
  const labelMap = new Map<string, number>();
  const q = await readEmbeddings(options.embeddings, { labelMap });
  const r = options.reference
    ? await readEmbeddings(options.reference, { labelMap, what: 'reference file' })
    : undefined;
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
    classes: classNames(q, r, labelMap),
  };
}

/** Class names for the table: string labels as written, else the `tripletkit.classes` metadata, else none. */
function classNames(q: EmbeddingsFile, r: EmbeddingsFile | undefined, labelMap: Map<string, number>): string[] {
  if (labelMap.size > 0) {
    const names: string[] = [];
    for (const [name, id] of labelMap) names[id] = name;
    return names;
  }
  for (const f of [q, r]) {
    try {
      const parsed = JSON.parse(f?.metadata['tripletkit.classes'] ?? 'null');
      if (Array.isArray(parsed)) return parsed.map(String);
    } catch {
      // Metadata is optional (pyarrow/polars files have none): class ids are shown instead.
    }
  }
  return [];
}
