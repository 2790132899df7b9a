/**
 * The miner's public option and result types. Semantics are fixed by docs/formats.md ("Mining semantics").
 */
import type { DistanceKind } from '../distances/index.ts';

import type { Strategy } from '../strategies/registry.ts';

// The strategies are registered objects (strategies/registry.ts); the names stay importable from here.
export { STRATEGIES, type Strategy } from '../strategies/registry.ts';

/** How `negativesPerPair` chooses among an anchor-positive pair's qualifying negatives. */
export type Pick = 'hardest' | 'random';

/** Options of {@link mine} and {@link mineStream}. Every field is optional; defaults follow PML. */
export interface MineOptions {
  /** Default `all` (PML TripletMarginMiner's default type_of_triplets). */
  strategy?: Strategy;
  /** Default 0.2 (PML). Unused by `batch-hard`. */
  margin?: number;
  /** Default `euclidean` (PML LpDistance). `cosine` is a similarity: every comparison is inverted. */
  distance?: DistanceKind;
  /** L2-normalise embeddings first (PML's normalize_embeddings, default true). */
  normalize?: boolean;
  /** Keep at most K triplets per anchor: a seeded uniform sample of the anchor's qualifying triplets. */
  maxPerAnchor?: number;
  /** Keep at most K negatives per anchor-positive pair (FaceNet's offline selection). */
  negativesPerPair?: number;
  /** Which negatives `negativesPerPair` keeps: the hardest (closest; ties → lowest row), or a uniform sample. */
  pick?: Pick;
  /** Seed for every random choice (caps). Same seed → identical output for any tile size or worker count. */
  seed?: number;
  /** Rows per anchor block and per candidate tile (default 512). Memory is O(tileSize² + output). */
  tileSize?: number;
  /** Worker threads (0 = mine on the calling thread). Default: all cores when the job is large, else 0. */
  workers?: number;
  /** Mine anchors against another set (PML's ref_emb / ref_labels): positives and negatives come from here. */
  reference?: { embeddings: Float32Array; labels: Int32Array };
  /** Mine only anchor block `index` of `count` equal contiguous blocks; the parts concatenate to the whole. */
  shard?: { index: number; count: number };
  /**
   * `mine()` and `mineAsync()` throw (code E_BUDGET) rather than return more triplets than this; default
   * {@link DEFAULT_MAX_TRIPLETS} (2 GiB of arrays). `mineStream()` has no budget: it never holds the whole output.
   */
  maxTriplets?: number;
  /** Called after each anchor block with the anchors done so far and the total (for progress bars). */
  onProgress?: (anchorsDone: number, anchorsTotal: number) => void;
}

/**
 * Mined triplets as parallel columns, sorted by (anchor, positive, negative) — PML's order for the same set.
 * `anchors` index the mined embeddings; `positives`/`negatives` index the candidates (the reference set if given).
 */
export interface MinedTriplets {
  anchors: Int32Array;
  positives: Int32Array;
  negatives: Int32Array;
  /** Anchor-positive distance (similarity for cosine) at mining time. */
  dAp: Float32Array;
  /** Anchor-negative distance (similarity for cosine) at mining time. */
  dAn: Float32Array;
}

/** Options after validation and defaults, as sent to workers (no functions, no arrays). */
export interface ResolvedOptions {
  strategy: Strategy;
  margin: number;
  distance: DistanceKind;
  normalize: boolean;
  maxPerAnchor: number; // 0 = no cap
  negativesPerPair: number; // 0 = no cap
  pick: Pick;
  seed: number;
  tileSize: number;
}
