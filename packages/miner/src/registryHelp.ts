/**
 * The `--help` lines that list the registries (strategies/registry.ts, distances/registry.ts), built from what each
 * declaration says about itself, in registry order: a new strategy or distance appears in the help with no other edit.
 * Pure functions of the lists, so a test can show that an added entry changes the text.
 */
import type { Distance } from './distances/distance.ts';
import type { StrategyDef } from './strategies/strategy.ts';

const list = (names: readonly string[]) => names.join(', ');

/**
 * `--strategy`: `name: formula` of every offline strategy.
 *
 * @example
 * strategyHelp(STRATEGY_DEFS); // 'all: d_an − d_ap ≤ margin; hard: d_an ≤ d_ap; …'
 */
export function strategyHelp(defs: readonly Pick<StrategyDef, 'name' | 'formula' | 'offline'>[]): string {
  return defs
    .filter((s) => s.offline)
    .map((s) => `${s.name}: ${s.formula}`)
    .join('; ');
}

/**
 * `mine --distance`: which distances are similarities (bigger is closer), whose comparisons mining inverts.
 *
 * @example
 * distanceHelp(DISTANCES); // 'Distance; cosine is a similarity and inverts every comparison, as PML'
 */
export function distanceHelp(defs: readonly Pick<Distance, 'name' | 'isSimilarity'>[]): string {
  const similarities = defs.filter((d) => d.isSimilarity).map((d) => d.name);
  if (similarities.length === 0) return 'Distance';
  const verb = similarities.length === 1 ? 'is a similarity and inverts' : 'are similarities and invert';
  return `Distance; ${list(similarities)} ${verb} every comparison, as PML`;
}

/**
 * `eval --distance`: which distances nearest-neighbour search computes as a similarity of L2-normalised rows.
 *
 * @example
 * searchDistanceHelp(DISTANCES); // 'Nearest-neighbour distance (cosine = similarity on L2-normalised rows)'
 */
export function searchDistanceHelp(
  defs: readonly Pick<Distance, 'name' | 'isSimilarity' | 'searchNormalizes'>[],
): string {
  const normalized = defs.filter((d) => d.isSimilarity && d.searchNormalizes).map((d) => d.name);
  if (normalized.length === 0) return 'Nearest-neighbour distance';
  const what = normalized.length === 1 ? 'similarity' : 'similarities';
  return `Nearest-neighbour distance (${list(normalized)} = ${what} on L2-normalised rows)`;
}
