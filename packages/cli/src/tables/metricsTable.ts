import type { RetrievalMetrics, RetrievalScores } from '@tripletkit/miner';

const pct = (v: number | null) => (v === null ? '—' : `${(100 * v).toFixed(2)}%`);

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)];
}

/**
 * A readable text table of retrieval metrics: one overall line, the mean of per-class scores, then one line per class.
 *
 * @example
 * for (const line of metricsTable(m, ['zero', 'one'])) console.log(line);
 */
export function metricsTable(m: RetrievalMetrics, classNames: string[] = []): string[] {
  const rows: string[][] = [
    ['all queries', String(m.queries), '', pct(m.precisionAt1), pct(m.rPrecision), pct(m.mapAtR)],
    [
      'mean of classes',
      '',
      '',
      pct(m.classAverage.precisionAt1),
      pct(m.classAverage.rPrecision),
      pct(m.classAverage.mapAtR),
    ],
  ];
  for (const c of m.perClass) {
    const name = classNames[c.label] ?? String(c.label);
    rows.push([
      `  ${name}`,
      c.excluded ? `${c.queries} (+${c.excluded} excl.)` : String(c.queries),
      String(c.r),
      pct(c.precisionAt1),
      pct(c.rPrecision),
      pct(c.mapAtR),
    ]);
  }
  const lines = table(['class', 'queries', 'R', 'P@1', 'R-precision', 'MAP@R'], rows);
  const source = m.sameSource
    ? `${m.queries + m.excludedQueries} queries against each other (self excluded)`
    : `${m.queries + m.excludedQueries} queries against ${m.references} references`;
  lines.push(
    '',
    `${source}; ${m.distance}${m.normalized ? ' on L2-normalised embeddings' : ''}` +
      (m.excludedQueries ? `; ${m.excludedQueries} queries had no same-class reference and were excluded` : ''),
  );
  return lines;
}

/** Two result columns side by side for the three headline metrics (the demo's summary). */
export function comparisonTable(a: RetrievalScores, aName: string, b: RetrievalScores, bName: string): string[] {
  return table(
    ['', aName, bName],
    [
      ['P@1', pct(a.precisionAt1), pct(b.precisionAt1)],
      ['R-precision', pct(a.rPrecision), pct(b.rPrecision)],
      ['MAP@R', pct(a.mapAtR), pct(b.mapAtR)],
    ],
  );
}
