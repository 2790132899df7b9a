/** A mean with its 95% confidence interval, as few-shot papers report accuracy over episodes. */
export interface MeanWithCi {
  /** Mean of the samples. */
  mean: number;
  /** Half-width of the 95% interval: 1.96 · s / √n, with s the sample standard deviation (n − 1); 0 when n < 2. */
  ci95: number;
  /** Number of samples (episodes). */
  n: number;
}

/**
 * Mean and 95% confidence half-width of `samples` under the normal approximation (the convention of the few-shot
 * literature: Vinyals et al. 2016, Snell et al. 2017 report "mean ± 1.96·std/√episodes").
 *
 * @example
 * meanConfidence([0.8, 0.9, 1]); // { mean: 0.9, ci95: 0.1132, n: 3 }
 */
export function meanConfidence(samples: ArrayLike<number>): MeanWithCi {
  const n = samples.length;
  if (n === 0) return { mean: Number.NaN, ci95: Number.NaN, n: 0 };
  let sum = 0;
  for (let i = 0; i < n; i++) sum += samples[i];
  const mean = sum / n;
  if (n < 2) return { mean, ci95: 0, n };
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (samples[i] - mean) ** 2;
  return { mean, ci95: (1.96 * Math.sqrt(ss / (n - 1))) / Math.sqrt(n), n };
}
