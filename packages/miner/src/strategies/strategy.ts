/**
 * What a triplet-selection strategy is to tripletkit: one object per strategy, declared in the strategy's own file
 * and listed in registry.ts, which mine(), the CLI's choices and the trainer's online mining all read. Adding one =
 * one file (its rule, options, and selector or batch rule) plus its tests.
 */
import type { Prepared } from '../core/prepare.ts';
import type { ResolvedOptions } from '../core/types.ts';
import type { MarginWindow } from './marginWindow.ts';
import type { Selector } from './selector.ts';

/** The mining options a strategy reads (others are refused or ignored as documented). */
export type StrategyOption = 'margin' | 'maxPerAnchor' | 'negativesPerPair' | 'pick';

/** Triplets as row indices into one batch (online mining). */
export interface BatchTriplets {
  anchors: Int32Array;
  positives: Int32Array;
  negatives: Int32Array;
}

export interface StrategyDef<
  Name extends string = string,
  Offline extends boolean = boolean,
  Online extends string = string,
> {
  /** The name `mine()` and `tripletkit mine --strategy` take. */
  readonly name: Name;
  /** PyTorch Metric Learning's (or another library's) equivalent, for docs and help. */
  readonly pml: string;
  /** The selection rule in one sentence (docs). */
  readonly rule: string;
  /**
   * The rule in a few symbols (d_ap, d_an, margin) for `--help`: `tripletkit mine --strategy` lists every offline
   * strategy as `name: formula`, in registry order.
   */
  readonly formula: string;
  /** Options it reads besides the distance ones. */
  readonly options: readonly StrategyOption[];
  /** Offered offline, by mine() / mineStream() / `tripletkit mine`. */
  readonly offline: Offline;
  /**
   * Offered for online mining (`train --mining`, on every P×K batch) under `name`; `rank` is its place in that list
   * (the usual choice first).
   */
  readonly online?: { readonly name: Online; readonly rank: number };
  /** Margin strategies: keep a triplet when lo < PML's float32 triplet margin ≤ hi. */
  window?(margin: number): MarginWindow;
  /** The offline selector (one per thread, reused block after block). */
  selector?(prepared: Prepared, options: ResolvedOptions): Selector;
  /**
   * A batch rule computed from the batch's row-major n×n distance matrix instead of by the miner's block core (online
   * strategies from other libraries).
   */
  fromMatrix?(distances: Float32Array, n: number, labels: Int32Array): BatchTriplets;
}
