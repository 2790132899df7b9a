import { deriveSeed, expectNonNegativeInteger, expectPositiveInteger, Rng, TripletkitError } from '@tripletkit/common';
import type { Labels } from './checks.ts';
import { episodeOptionSpecs } from './episodeOptionSpecs.ts';

/** Shape of few-shot episodes: N ways (classes), K shots (support examples per class), Q queries per class. */
export interface EpisodeOptions {
  /** Classes per episode (N-way). Default 5. */
  ways?: number;
  /** Support examples per class (K-shot). Default 1. */
  shots?: number;
  /** Query examples per class. Default 15 (the Prototypical Networks protocol). */
  queries?: number;
  /** Number of episodes. Default 600. */
  episodes?: number;
  /** Seed: the same seed draws the same episodes on every machine. Default 0. */
  seed?: number;
}

/** One episode: rows of the embeddings matrix. `support[c*K + s]` and `query[c*Q + q]` belong to `classes[c]`. */
export interface Episode {
  classes: Int32Array;
  support: Int32Array;
  query: Int32Array;
}

/** Validated {@link EpisodeOptions}. */
export type ResolvedEpisodeOptions = Required<EpisodeOptions>;

export function resolveEpisodeOptions(o: EpisodeOptions): ResolvedEpisodeOptions {
  return {
    ways: expectPositiveInteger('ways', o.ways ?? episodeOptionSpecs.ways.default),
    shots: expectPositiveInteger('shots', o.shots ?? episodeOptionSpecs.shots.default),
    queries: expectPositiveInteger('queries', o.queries ?? episodeOptionSpecs.queries.default),
    episodes: expectPositiveInteger('episodes', o.episodes ?? episodeOptionSpecs.episodes.default),
    seed: expectNonNegativeInteger('seed', o.seed ?? episodeOptionSpecs.seed.default),
  };
}

/**
 * Draws seeded few-shot episodes from labelled rows: each picks `ways` distinct classes among those with at least
 * `shots + queries` rows, then `shots + queries` distinct rows of each (the first `shots` are the support set).
 * Episode e depends only on (seed, e), so episode 7 is the same whether 10 or 600 are drawn.
 *
 * @example
 * for (const ep of fewShotEpisodes(labels, { ways: 5, shots: 1, queries: 15, episodes: 600, seed: 1 })) {
 *   console.log(ep.classes, ep.support, ep.query);
 * }
 */
export function* fewShotEpisodes(labels: Labels, options: EpisodeOptions = {}): Generator<Episode> {
  const o = resolveEpisodeOptions(options);
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const rows = byClass.get(labels[i]);
    if (rows) rows.push(i);
    else byClass.set(labels[i], [i]);
  }
  const per = o.shots + o.queries;
  const eligible = [...byClass.keys()].filter((c) => (byClass.get(c) as number[]).length >= per).sort((a, b) => a - b);
  if (eligible.length < o.ways) {
    throw new TripletkitError(
      'E_DATA',
      `A ${o.ways}-way episode with ${o.shots} shots and ${o.queries} queries needs ${o.ways} classes with at least ${per} rows each, but only ${eligible.length} of ${byClass.size} classes have that many.`,
      { hint: 'Lower --ways, --shots or --queries, or evaluate on a file with more images per class.' },
    );
  }
  for (let e = 0; e < o.episodes; e++) {
    const rng = new Rng(deriveSeed(o.seed, e));
    const pool = Int32Array.from(eligible);
    // Partial Fisher-Yates: the first `ways` entries are a uniform sample without replacement.
    for (let i = 0; i < o.ways; i++) swap(pool, i, i + rng.int(pool.length - i));
    const classes = pool.slice(0, o.ways);
    const support = new Int32Array(o.ways * o.shots);
    const query = new Int32Array(o.ways * o.queries);
    for (let c = 0; c < o.ways; c++) {
      const rows = Int32Array.from(byClass.get(classes[c]) as number[]);
      for (let i = 0; i < per; i++) swap(rows, i, i + rng.int(rows.length - i));
      support.set(rows.subarray(0, o.shots), c * o.shots);
      query.set(rows.subarray(o.shots, per), c * o.queries);
    }
    yield { classes, support, query };
  }
}

function swap(a: Int32Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}
