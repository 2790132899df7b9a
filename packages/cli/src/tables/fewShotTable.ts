import type { FewShotResult, MeanWithCi, VerificationResult } from '@tripletkit/miner';

const ci = (m: MeanWithCi) => `${(100 * m.mean).toFixed(2)}% ± ${(100 * m.ci95).toFixed(2)}`;

/**
 * Few-shot accuracy lines: one per method, mean ± 95% CI half-width, for one or more sources side by side.
 *
 * @example
 * fewShotTable([['trained', r1], ['raw pixels', r2]]); // ['method  trained  raw pixels', …]
 */
export function fewShotTable(columns: [string, FewShotResult][]): string[] {
  const [, first] = columns[0];
  const header = ['', ...columns.map(([name]) => name)];
  const rows = [
    ['nearest support', ...columns.map(([, r]) => ci(r.nearestSupport))],
    ['nearest prototype', ...columns.map(([, r]) => ci(r.nearestPrototype))],
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [
    `${first.ways}-way ${first.shots}-shot accuracy, ${first.queries} queries per class, ${first.episodes} episodes (seed ${first.seed}), mean ± 95% CI`,
    line(header),
    widths.map((w) => '─'.repeat(w)).join('  '),
    ...rows.map(line),
  ];
}

/** Verification lines: ROC AUC, EER and TAR at the target FAR with the thresholds that achieve them. */
export function verificationTable(v: VerificationResult): string[] {
  const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
  const t = (x: number) => (Number.isFinite(x) ? x.toPrecision(4) : 'none');
  return [
    `verification on ${v.positives} same-class and ${v.negatives} different-class pairs (seed ${v.seed}, ${v.distance}${v.distance === 'cosine' ? ' as 1 − similarity' : ''})`,
    `ROC AUC ${v.rocAuc.toFixed(4)}`,
    `EER ${pct(v.eer)} at distance ≤ ${t(v.eerThreshold)}`,
    `TAR ${pct(v.tarAtFar.tar)} at FAR ${pct(v.tarAtFar.far)} (target ${v.tarAtFar.farTarget}) at distance ≤ ${t(v.tarAtFar.threshold)}`,
  ];
}
