/**
 * Every distance the miner supports, in the order the CLI lists them. To add one: a file like euclidean.ts exporting
 * a {@link Distance}, one entry here, and its tests (the property and oracle tests iterate this list).
 */
import { expectOneOf } from '@tripletkit/common';
import { cosine } from './cosine.ts';
import type { Distance } from './distance.ts';
import { euclidean } from './euclidean.ts';
import { squaredEuclidean } from './squaredEuclidean.ts';

export const DISTANCES = [euclidean, squaredEuclidean, cosine] as const;

/** A registered distance's name. */
export type DistanceKind = (typeof DISTANCES)[number]['name'];

/** Every registered name, in the order the CLI lists them. */
export const DISTANCE_KINDS: readonly DistanceKind[] = DISTANCES.map((d) => d.name);

const byName = new Map<string, Distance<DistanceKind>>(DISTANCES.map((d) => [d.name, d]));

/**
 * The registered distance of that name; throws the usual invalid-argument error (naming `what`) for any other value.
 *
 * @example
 * getDistance('cosine').isSimilarity; // true
 */
export function getDistance(name: DistanceKind, what = 'distance'): Distance<DistanceKind> {
  const d = byName.get(name);
  if (d === undefined) expectOneOf(what, name, DISTANCE_KINDS);
  return d as Distance<DistanceKind>;
}

/**
 * True when bigger means closer (cosine similarity). PML inverts every comparison for such measures, and so do we:
 * a "hard" negative has a *larger* similarity than the positive.
 *
 * @example
 * isSimilarity('cosine'); // true
 * isSimilarity('euclidean'); // false
 */
export function isSimilarity(kind: DistanceKind): boolean {
  return getDistance(kind).isSimilarity;
}
