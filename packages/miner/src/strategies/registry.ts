/**
 * Every triplet-selection strategy, in the order `tripletkit mine --strategy` lists them. To add one: a file declaring
 * a {@link StrategyDef} (like semiHard.ts, or batchHard.ts with its own selector), one entry here, and its tests (the
 * property and oracle tests iterate this list).
 */
import { expectOneOf } from '@tripletkit/common';
import { all } from './all.ts';
import { batchHard } from './batchHard.ts';
import { easy } from './easy.ts';
import { hard } from './hard.ts';
import { semiHard } from './semiHard.ts';
import { semiHardTfaStrategy } from './semiHardTfa.ts';
import type { StrategyDef } from './strategy.ts';

export const STRATEGY_DEFS = [all, hard, semiHard, easy, batchHard, semiHardTfaStrategy] as const;

type Registered = (typeof STRATEGY_DEFS)[number];

/** Strategies of mine() / mineStream() / `tripletkit mine` (PML: TripletMarginMiner's type_of_triplets, BatchHardMiner). */
export type Strategy = Extract<Registered, { offline: true }>['name'];

/** `train --mining` choices (online mining on every P×K batch). */
export type OnlineMining = Registered extends StrategyDef<string, boolean, infer O> ? O : never;

/** Every offline strategy, in the order the CLI lists them. */
export const STRATEGIES: readonly Strategy[] = STRATEGY_DEFS.filter((s) => s.offline).map((s) => s.name as Strategy);

const onlineDefs = STRATEGY_DEFS.filter((s) => s.online !== undefined).sort(
  (a, b) => (a.online?.rank ?? 0) - (b.online?.rank ?? 0),
);

/** Every online strategy, in the order `train --mining` lists them. */
export const ONLINE_MINING: readonly OnlineMining[] = onlineDefs.map((s) => s.online?.name as OnlineMining);

/**
 * The registered offline strategy of that name; throws the usual invalid-argument error for any other value.
 *
 * @example
 * getStrategy('semi-hard').window?.(0.2); // { lo: 0, hi: Math.fround(0.2) }
 */
export function getStrategy(name: Strategy): StrategyDef {
  const s = STRATEGY_DEFS.find((d) => d.offline && d.name === name);
  if (s === undefined) expectOneOf('strategy', name, STRATEGIES);
  return s as StrategyDef;
}

/**
 * The registered strategy behind an online-mining name (`batch-all` is the `all` strategy).
 *
 * @example
 * getOnlineStrategy('batch-all').name; // 'all'
 */
export function getOnlineStrategy(name: OnlineMining): StrategyDef {
  const s = onlineDefs.find((d) => d.online?.name === name);
  if (s === undefined) expectOneOf('mining', name, ONLINE_MINING);
  return s as StrategyDef;
}
