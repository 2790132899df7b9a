import { esc, frame, legend, niceTicks, svgDocument, text } from './svg.ts';

/** One line of a {@link lineChart}. */
export interface LineSeries {
  name: string;
  color: string;
  points: [number, number][];
  dashed?: boolean;
}

/**
 * A line chart as an SVG string (points drawn as dots too, so a one-epoch run still shows something).
 *
 * @example
 * const svg = lineChart({ title: 'Loss', xLabel: 'epoch', yLabel: 'loss',
 *   series: [{ name: 'train', color: '#0072B2', points: [[1, 0.2], [2, 0.1]] }] });
 */
export function lineChart(o: {
  title: string;
  xLabel: string;
  yLabel: string;
  series: LineSeries[];
  width?: number;
  height?: number;
  /** Force the y range (e.g. [0, 1] for a fraction). */
  yDomain?: [number, number];
}): string {
  const width = o.width ?? 560;
  const height = o.height ?? 320;
  const all = o.series.flatMap((s) => s.points).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  const xs = all.map((p) => p[0]);
  const ys = all.map((p) => p[1]);
  const xDomain: [number, number] = xs.length ? [Math.min(...xs), Math.max(...xs)] : [0, 1];
  const yMax = ys.length ? Math.max(...ys) : 1;
  const yMin = ys.length ? Math.min(0, ...ys) : 0;
  const yDomain = o.yDomain ?? ([yMin, yMax > yMin ? yMax * 1.08 : yMin + 1] as [number, number]);
  const integerX = xs.every((v) => Number.isInteger(v));
  const xTicks = integerX ? niceTicks(xDomain[0], xDomain[1], 8).filter((t) => Number.isInteger(t)) : undefined;
  const f = frame({ width, height, xDomain, yDomain, title: o.title, xLabel: o.xLabel, yLabel: o.yLabel, xTicks });
  const body = [f.axes];
  if (all.length === 0)
    body.push(text((f.left + f.right) / 2, (f.top + f.bottom) / 2, 'no data', { anchor: 'middle' }));
  for (const s of o.series) {
    const pts = s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
    if (pts.length === 0) continue;
    const d = pts.map(([x, y], i) => `${i ? 'L' : 'M'}${f.x(x).toFixed(1)},${f.y(y).toFixed(1)}`).join(' ');
    const dash = s.dashed ? ' stroke-dasharray="6 4"' : '';
    body.push(`<path d="${d}" fill="none" stroke="${esc(s.color)}" stroke-width="2.5"${dash}/>`);
    if (pts.length <= 60) {
      for (const [x, y] of pts) {
        body.push(`<circle cx="${f.x(x).toFixed(1)}" cy="${f.y(y).toFixed(1)}" r="3" fill="${esc(s.color)}"/>`);
      }
    }
  }
  body.push(legend(f, o.series));
  return svgDocument(width, height, body.join('\n'));
}
