/**
 * TF Addons' `triplet_semihard_loss` selection (also sentence-transformers'), an online-only strategy: it works on a
 * training batch's distance matrix, so it is not offered to mine() / `tripletkit mine`.
 */
import type { BatchTriplets, StrategyDef } from './strategy.ts';

/**
 * For every positive pair (a, p), the nearest negative farther than p (d_an > d_ap); when there is none, the farthest
 * negative. Anchors without a negative are skipped. Ties go to the lowest row.
 *
 * @example
 * const t = semiHardTfa(distances, n, labels); // distances: row-major n×n
 */
export function semiHardTfa(distances: Float32Array, n: number, labels: Int32Array): BatchTriplets {
  const a: number[] = [];
  const p: number[] = [];
  const ng: number[] = [];
  for (let i = 0; i < n; i++) {
    const row = i * n;
    for (let j = 0; j < n; j++) {
      if (j === i || labels[j] !== labels[i]) continue;
      const dap = distances[row + j];
      let semi = -1;
      let semiD = Number.POSITIVE_INFINITY;
      let far = -1;
      let farD = Number.NEGATIVE_INFINITY;
      for (let k = 0; k < n; k++) {
        if (labels[k] === labels[i]) continue;
        const d = distances[row + k];
        if (d > dap && d < semiD) {
          semiD = d;
          semi = k;
        }
        if (d > farD) {
          farD = d;
          far = k;
        }
      }
      const pick = semi >= 0 ? semi : far;
      if (pick < 0) continue;
      a.push(i);
      p.push(j);
      ng.push(pick);
    }
  }
  return { anchors: Int32Array.from(a), positives: Int32Array.from(p), negatives: Int32Array.from(ng) };
}

/**
 * The registered `semi-hard-tfa` strategy (online only: `train --mining semi-hard-tfa`).
 *
 * @example
 * getOnlineStrategy('semi-hard-tfa').fromMatrix?.(distances, n, labels);
 */
export const semiHardTfaStrategy: StrategyDef<'semi-hard-tfa', false, 'semi-hard-tfa'> = {
  name: 'semi-hard-tfa',
  pml: 'TF Addons triplet_semihard_loss (not in PML)',
  rule: 'per positive pair, the nearest negative farther than the positive, else the farthest negative',
  formula: 'nearest negative with d_an > d_ap per positive pair, else the farthest',
  options: [],
  offline: false,
  online: { name: 'semi-hard-tfa', rank: 1 },
  fromMatrix: semiHardTfa,
};
