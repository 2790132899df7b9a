import { type DistanceKind, getDistance } from '../distances/registry.ts';
import { checkLabelled, distanceRows, type Labels } from './checks.ts';
import { type Episode, type EpisodeOptions, fewShotEpisodes, resolveEpisodeOptions } from './fewShotEpisodes.ts';
import { type MeanWithCi, meanConfidence } from './meanConfidence.ts';

/** Options of {@link fewShotAccuracy}: the episode shape plus the distance. */
export interface FewShotOptions extends EpisodeOptions {
  /** `euclidean` (default; squared gives the same decisions) or `cosine` (rows L2-normalised first). */
  distance?: DistanceKind;
  /** L2-normalise rows before a Euclidean comparison. Default false. */
  normalize?: boolean;
}

/** Few-shot accuracy over episodes, per method, each a mean with its 95% confidence interval. */
export interface FewShotResult {
  ways: number;
  shots: number;
  queries: number;
  episodes: number;
  seed: number;
  distance: DistanceKind;
  /** Each query takes the class of its nearest support example (1-NN; Siamese networks' one-shot rule). */
  nearestSupport: MeanWithCi;
  /** Each query takes the class of the nearest class centroid of the supports (Prototypical Networks). */
  nearestPrototype: MeanWithCi;
  /** Per-episode accuracies, in episode order (for plots and checks). */
  perEpisode: { nearestSupport: number[]; nearestPrototype: number[] };
}

/** Distance (smaller = closer) between row a of `x` and vector b. Cosine is turned into 1 − similarity. */
function distance(x: Float32Array, a: number, b: Float64Array, dim: number, cosine: boolean): number {
  let s = 0;
  const o = a * dim;
  if (cosine) {
    for (let d = 0; d < dim; d++) s += x[o + d] * b[d];
    return 1 - s;
  }
  for (let d = 0; d < dim; d++) {
    const t = x[o + d] - b[d];
    s += t * t;
  }
  return s;
}

function rowOf(x: Float32Array, r: number, dim: number): Float64Array {
  return Float64Array.from(x.subarray(r * dim, (r + 1) * dim));
}

/** Accuracy of one episode by nearest support and by nearest prototype. Ties go to the earlier class. */
export function episodeAccuracy(x: Float32Array, dim: number, ep: Episode, cosine: boolean): [number, number] {
  const ways = ep.classes.length;
  const shots = ep.support.length / ways;
  const queries = ep.query.length / ways;
  const supports = Array.from(ep.support, (r) => rowOf(x, r, dim));
  const prototypes: Float64Array[] = [];
  for (let c = 0; c < ways; c++) {
    const p = new Float64Array(dim);
    for (let s = 0; s < shots; s++) for (let d = 0; d < dim; d++) p[d] += supports[c * shots + s][d] / shots;
    if (cosine) {
      let n = 0;
      for (let d = 0; d < dim; d++) n += p[d] * p[d];
      n = Math.sqrt(n) || 1;
      for (let d = 0; d < dim; d++) p[d] /= n;
    }
    prototypes.push(p);
  }
  let bySupport = 0;
  let byPrototype = 0;
  for (let i = 0; i < ep.query.length; i++) {
    const truth = Math.floor(i / queries);
    let best = Number.POSITIVE_INFINITY;
    let guess = -1;
    for (let s = 0; s < supports.length; s++) {
      const d = distance(x, ep.query[i], supports[s], dim, cosine);
      if (d < best) {
        best = d;
        guess = Math.floor(s / shots);
      }
    }
    if (guess === truth) bySupport++;
    best = Number.POSITIVE_INFINITY;
    guess = -1;
    for (let c = 0; c < ways; c++) {
      const d = distance(x, ep.query[i], prototypes[c], dim, cosine);
      if (d < best) {
        best = d;
        guess = c;
      }
    }
    if (guess === truth) byPrototype++;
  }
  return [bySupport / ep.query.length, byPrototype / ep.query.length];
}

/**
 * N-way K-shot accuracy of embeddings on seeded episodes (see {@link fewShotEpisodes}): every query is classified
 * among the episode's N classes by its nearest support example and by its nearest class centroid. Report the mean
 * with its 95% confidence interval, as the few-shot literature does.
 *
 * @example
 * const r = fewShotAccuracy(unseenEmb, 64, unseenLabels, { ways: 5, shots: 1, episodes: 600, seed: 0 });
 * console.log(`${(100 * r.nearestSupport.mean).toFixed(1)} ± ${(100 * r.nearestSupport.ci95).toFixed(1)}%`);
 */
export function fewShotAccuracy(
  embeddings: Float32Array,
  dim: number,
  labels: Labels,
  options: FewShotOptions = {},
): FewShotResult {
  const l = checkLabelled('embeddings', embeddings, dim, 'labels', labels).labels;
  const o = resolveEpisodeOptions(options);
  const { kind, x } = distanceRows(embeddings, dim, options);
  // Similarities are compared as 1 − similarity of normalised rows; Lp distances as squared Euclidean (same decisions).
  const cosine = getDistance(kind).isSimilarity;
  const support: number[] = [];
  const prototype: number[] = [];
  for (const ep of fewShotEpisodes(l, o)) {
    const [a, b] = episodeAccuracy(x, dim, ep, cosine);
    support.push(a);
    prototype.push(b);
  }
  return {
    ...o,
    distance: kind,
    nearestSupport: meanConfidence(support),
    nearestPrototype: meanConfidence(prototype),
    perEpisode: { nearestSupport: support, nearestPrototype: prototype },
  };
}
