/**
 * TripletMarginMiner's selection as a window on the triplet margin, with PML's exact arithmetic.
 *
 * PML (miners/triplet_margin_miner.py) computes, in float32,
 *   triplet_margin = ap_dist − an_dist   if the distance is inverted (a similarity, e.g. cosine)
 *                  = an_dist − ap_dist   otherwise
 * and keeps: easy → tm > margin; all → tm ≤ margin; hard → tm ≤ margin ∧ tm ≤ 0; semihard → tm ≤ margin ∧ tm > 0.
 * The margin (a Python float) is compared as a float32. So every rule is "lo < tm ≤ hi".
 *
 * The core works on canonical values (distance, or −similarity), where tm = fround(x − v) for negative value x and
 * positive value v in both cases, because fround(−a) = −fround(a).
 */
import type { Strategy } from '../core/types.ts';
import { getStrategy } from './registry.ts';

/** Keep a triplet when lo < tm ≤ hi. */
export interface MarginWindow {
  lo: number;
  hi: number;
}

/**
 * The window of a registered margin strategy (declared in its own file, e.g. semiHard.ts).
 *
 * @example
 * marginWindow('semi-hard', 0.2); // { lo: 0, hi: Math.fround(0.2) }
 */
export function marginWindow(strategy: Exclude<Strategy, 'batch-hard'>, margin: number): MarginWindow {
  const window = getStrategy(strategy).window;
  if (!window) throw new Error(`strategy ${strategy} has no margin window`);
  return window(margin);
}

/** PML's float32 triplet margin from canonical values (x: anchor-negative, v: anchor-positive). */
export function tripletMargin(x: number, v: number): number {
  return Math.fround(x - v);
}
