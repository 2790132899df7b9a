import { expectNumber } from '@tripletkit/common';

/** An operating point: accept a pair as "same" when its distance ≤ `threshold`. */
export interface OperatingPoint {
  threshold: number;
  /** True accept rate: same pairs accepted / same pairs. */
  tar: number;
  /** False accept rate: different pairs accepted / different pairs. */
  far: number;
}

/** Verification metrics of scored same/different pairs (the face-verification convention). */
export interface VerificationScores {
  positives: number;
  negatives: number;
  /** Area under the ROC curve: P(d_same < d_different) + ½ P(equal). */
  rocAuc: number;
  /** Equal error rate: where FAR = FRR (= 1 − TAR), at the threshold that brings them closest; their mean. */
  eer: number;
  eerThreshold: number;
  /** The best TAR whose FAR ≤ `farTarget`, with the largest threshold achieving it. */
  tarAtFar: OperatingPoint & { farTarget: number };
}

/**
 * ROC AUC, EER and TAR at a target FAR of pair distances (smaller = more alike). Every distinct distance is a
 * candidate threshold (plus −∞: accept nothing), so the figures are exact for the pairs given.
 *
 * @example
 * const s = verificationMetrics(Float32Array.of(0.1, 0.9, 0.4), [true, false, true], 1e-3);
 * s.rocAuc; // 1
 */
export function verificationMetrics(
  distances: ArrayLike<number>,
  same: ArrayLike<boolean>,
  farTarget = 1e-3,
): VerificationScores {
  expectNumber('farTarget', farTarget, { min: 0, max: 1 });
  const n = distances.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => distances[a] - distances[b]);
  let positives = 0;
  for (let i = 0; i < n; i++) if (same[i]) positives++;
  const negatives = n - positives;
  // Sweep thresholds from −∞ upwards; a group of equal distances is accepted together.
  let tp = 0;
  let fp = 0;
  let aucSum = 0; // Σ over positives of (#negatives farther + ½ #negatives tied)
  let bestGap = Number.POSITIVE_INFINITY;
  let eer = 1;
  let eerThreshold = Number.NEGATIVE_INFINITY;
  let tarAtFar: OperatingPoint = { threshold: Number.NEGATIVE_INFINITY, tar: 0, far: 0 };
  const consider = (threshold: number) => {
    const tar = positives ? tp / positives : 0;
    const far = negatives ? fp / negatives : 0;
    const gap = Math.abs(far - (1 - tar));
    if (gap < bestGap) {
      bestGap = gap;
      eer = (far + 1 - tar) / 2;
      eerThreshold = threshold;
    }
    // TAR and FAR only grow with the threshold: the last point within the target is the best one.
    if (far <= farTarget) tarAtFar = { threshold, tar, far };
  };
  consider(Number.NEGATIVE_INFINITY);
  for (let i = 0; i < n; ) {
    const d = distances[order[i]];
    let gp = 0;
    let gn = 0;
    while (i < n && distances[order[i]] === d) {
      if (same[order[i]]) gp++;
      else gn++;
      i++;
    }
    aucSum += gp * (negatives - fp - gn) + 0.5 * gp * gn;
    tp += gp;
    fp += gn;
    consider(d);
  }
  return {
    positives,
    negatives,
    rocAuc: positives && negatives ? aucSum / (positives * negatives) : Number.NaN,
    eer,
    eerThreshold,
    tarAtFar: { ...tarAtFar, farTarget },
  };
}
