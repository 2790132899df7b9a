import { deriveSeed, expectNonNegativeInteger, expectPositiveInteger, Rng, TripletkitError } from '@tripletkit/common';
import { type DistanceKind, getDistance } from '../distances/registry.ts';
import { checkLabelled, distanceRows, type Labels } from './checks.ts';
import { type VerificationScores, verificationMetrics } from './verificationMetrics.ts';
import { verificationOptionSpecs } from './verificationOptionSpecs.ts';

/** Options of {@link verification}. */
export interface VerificationOptions {
  /** Same-class pairs drawn, and as many different-class pairs. Default 10,000 each. */
  pairs?: number;
  seed?: number;
  /** FAR at which TAR is reported. Default 1e-3. */
  farTarget?: number;
  /** `euclidean` (default) or `cosine` (scored as 1 − similarity, so smaller = closer everywhere). */
  distance?: DistanceKind;
  normalize?: boolean;
}

/** {@link verificationMetrics} of seeded same/different pairs, with how they were drawn. */
export interface VerificationResult extends VerificationScores {
  distance: DistanceKind;
  seed: number;
}

/**
 * Draws `pairs` same-class and `pairs` different-class row pairs (seeded; a pair never joins a row with itself): each
 * same pair starts from a uniform row among classes with ≥ 2 rows, each different pair from a uniform row, and the
 * partner is uniform among the allowed rows.
 *
 * @example
 * const { a, b, same } = verificationPairs(labels, 1000, 0);
 */
export function verificationPairs(
  labels: Int32Array,
  pairs: number,
  seed: number,
): { a: Int32Array; b: Int32Array; same: boolean[] } {
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const r = byClass.get(labels[i]);
    if (r) r.push(i);
    else byClass.set(labels[i], [i]);
  }
  const withPair: number[] = [];
  for (const rows of byClass.values()) if (rows.length >= 2) withPair.push(...rows);
  if (withPair.length === 0 || byClass.size < 2) {
    throw new TripletkitError(
      'E_DATA',
      `Verification needs two classes and a class with two rows; these ${labels.length} rows have ${byClass.size} classes.`,
      { hint: 'Evaluate on a file with several images of several classes.' },
    );
  }
  const rng = new Rng(deriveSeed(seed, 0x7e41));
  const a = new Int32Array(2 * pairs);
  const b = new Int32Array(2 * pairs);
  const same: boolean[] = [];
  for (let i = 0; i < pairs; i++) {
    const x = withPair[rng.int(withPair.length)];
    const rows = byClass.get(labels[x]) as number[];
    let y = rows[rng.int(rows.length - 1)];
    if (y === x) y = rows[rows.length - 1]; // uniform over the other rows of the class
    a[i] = x;
    b[i] = y;
    same.push(true);
  }
  for (let i = pairs; i < 2 * pairs; i++) {
    const x = rng.int(labels.length);
    let y = rng.int(labels.length);
    while (labels[y] === labels[x]) y = rng.int(labels.length);
    a[i] = x;
    b[i] = y;
    same.push(false);
  }
  return { a, b, same };
}

/**
 * Face-verification style evaluation of embeddings: ROC AUC, EER and TAR at FAR 1e-3 (with their thresholds) on
 * seeded same/different pairs.
 *
 * @example
 * const v = verification(emb, 64, labels, { pairs: 10000, seed: 0 });
 * console.log(v.rocAuc, v.eer, v.tarAtFar.tar, v.tarAtFar.threshold);
 */
export function verification(
  embeddings: Float32Array,
  dim: number,
  labels: Labels,
  options: VerificationOptions = {},
): VerificationResult {
  const l = checkLabelled('embeddings', embeddings, dim, 'labels', labels).labels;
  const pairs = expectPositiveInteger('pairs', options.pairs ?? verificationOptionSpecs.pairs.default);
  const seed = expectNonNegativeInteger('seed', options.seed ?? verificationOptionSpecs.seed.default);
  const { kind, x } = distanceRows(embeddings, dim, options);
  const distance = getDistance(kind);
  const { a, b, same } = verificationPairs(l, pairs, seed);
  const d = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) d[i] = distance.dissimilarity(x, a[i] * dim, x, b[i] * dim, dim);
  return {
    ...verificationMetrics(d, same, options.farTarget ?? verificationOptionSpecs.farTarget.default),
    distance: kind,
    seed,
  };
}
