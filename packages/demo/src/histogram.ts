import { esc, frame, legend, svgDocument, text } from './svg.ts';

/** One distribution of a {@link histogram}. */
export interface HistogramSeries {
  name: string;
  color: string;
  values: ArrayLike<number>;
}

/** Bin counts of `values` over [lo, hi] in `bins` equal bins (the last bin includes hi). */
export function binCounts(values: ArrayLike<number>, lo: number, hi: number, bins: number): number[] {
  const counts = new Array<number>(bins).fill(0);
  const w = (hi - lo) / bins;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    const b = w > 0 ? Math.min(bins - 1, Math.max(0, Math.floor((v - lo) / w))) : 0;
    counts[b]++;
  }
  return counts;
}

/**
 * Overlaid histograms as an SVG string: each series is normalised to a density (fractions per bin), so distributions
 * of different sizes compare, and drawn as a translucent filled step outline.
 *
 * @example
 * const svg = histogram({ title: 'Before training', xLabel: 'distance', series: [
 *   { name: 'd(anchor, positive)', color: '#0072B2', values: dap },
 *   { name: 'd(anchor, negative)', color: '#D55E00', values: dan }] });
 */
export function histogram(o: {
  title: string;
  xLabel: string;
  series: HistogramSeries[];
  bins?: number;
  /** Shared x range, so before/after plots are comparable. Default: the data's range. */
  xDomain?: [number, number];
  /** Shared y maximum (a fraction). */
  yMax?: number;
  /** Show each series' count in the legend (default true). */
  showCounts?: boolean;
  /** Default "fraction of triplets". */
  yLabel?: string;
  /** Extra vertical reference lines, e.g. the margin. */
  markers?: { at: number; label: string }[];
  width?: number;
  height?: number;
}): string {
  const width = o.width ?? 560;
  const height = o.height ?? 320;
  const bins = o.bins ?? 40;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const s of o.series) {
    for (let i = 0; i < s.values.length; i++) {
      const v = s.values[i];
      if (Number.isFinite(v)) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
  }
  const [x0, x1] = o.xDomain ?? (Number.isFinite(lo) ? [lo, hi > lo ? hi : lo + 1] : [0, 1]);
  const densities = o.series.map((s) => {
    const c = binCounts(s.values, x0, x1, bins);
    const n = s.values.length || 1;
    return c.map((v) => v / n);
  });
  const yMax = o.yMax ?? Math.max(0.01, ...densities.flat()) * 1.1;
  const f = frame({
    width,
    height,
    xDomain: [x0, x1],
    yDomain: [0, yMax],
    title: o.title,
    xLabel: o.xLabel,
    yLabel: o.yLabel ?? 'fraction of triplets',
  });
  const body = [f.axes];
  const w = (x1 - x0) / bins;
  o.series.forEach((s, k) => {
    if (s.values.length === 0) return;
    const d = densities[k];
    let path = `M${f.x(x0).toFixed(1)},${f.y(0).toFixed(1)}`;
    for (let b = 0; b < bins; b++) {
      path += ` L${f.x(x0 + b * w).toFixed(1)},${f.y(d[b]).toFixed(1)} L${f.x(x0 + (b + 1) * w).toFixed(1)},${f.y(d[b]).toFixed(1)}`;
    }
    path += ` L${f.x(x1).toFixed(1)},${f.y(0).toFixed(1)} Z`;
    body.push(
      `<path d="${path}" fill="${esc(s.color)}" fill-opacity="0.35" stroke="${esc(s.color)}" stroke-width="1.5"/>`,
    );
  });
  for (const m of o.markers ?? []) {
    if (m.at < x0 || m.at > x1) continue;
    body.push(
      `<line x1="${f.x(m.at)}" x2="${f.x(m.at)}" y1="${f.top}" y2="${f.bottom}" stroke="#444" stroke-dasharray="4 3"/>`,
    );
    body.push(text(f.x(m.at) + 4, f.top + 12, m.label, { size: 11 }));
  }
  if (o.series.every((s) => s.values.length === 0)) {
    body.push(text((f.left + f.right) / 2, (f.top + f.bottom) / 2, 'no triplets', { anchor: 'middle' }));
  }
  body.push(
    legend(
      f,
      o.series.map((s) => ({
        name: o.showCounts === false ? s.name : `${s.name} (n = ${s.values.length.toLocaleString('en-US')})`,
        color: s.color,
      })),
    ),
  );
  return svgDocument(width, height, body.join('\n'));
}
