/**
 * Minimal SVG drawing for the report: plots are SVG strings drawn in code and rasterised by sharp (librsvg), so the
 * report needs no browser and no plotting library.
 */

/** Escapes text for SVG/HTML content and attribute values. */
export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A colour-blind-safe palette (Okabe–Ito). */
export const PALETTE = {
  blue: '#0072B2',
  orange: '#E69F00',
  green: '#009E73',
  red: '#D62728',
  purple: '#CC79A7',
  grey: '#666666',
} as const;

export const FONT = 'DejaVu Sans, Helvetica, Arial, sans-serif';

/** Wraps a body in an SVG document with a white background. */
export function svgDocument(width: number, height: number, body: string): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<g font-family="${FONT}" fill="#222222">`,
    body,
    '</g></svg>',
  ].join('\n');
}

/** Text element; `anchor` is SVG's text-anchor. */
export function text(
  x: number,
  y: number,
  s: string,
  o: { size?: number; anchor?: 'start' | 'middle' | 'end'; weight?: string; rotate?: number; fill?: string } = {},
): string {
  const rot = o.rotate ? ` transform="rotate(${o.rotate} ${x} ${y})"` : '';
  return `<text x="${x}" y="${y}" font-size="${o.size ?? 13}" text-anchor="${o.anchor ?? 'start'}"${
    o.weight ? ` font-weight="${o.weight}"` : ''
  }${o.fill ? ` fill="${o.fill}"` : ''}${rot}>${esc(s)}</text>`;
}

/** "Nice" tick values covering [lo, hi] (1-2-5 steps), about `count` of them. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const ticks: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

/** Short tick label: 0.25, 1.5k, 3e-4 … */
export function formatTick(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e4 || a < 1e-3) return v.toExponential(0);
  return String(Number(v.toPrecision(4)));
}

/** A plotting frame: maps data to pixels inside margins and draws axes, grid, ticks, title and labels. */
export interface Frame {
  x(v: number): number;
  y(v: number): number;
  /** SVG of the axes, grid lines, tick labels, title and axis labels. */
  axes: string;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

export function frame(o: {
  width: number;
  height: number;
  xDomain: [number, number];
  yDomain: [number, number];
  title: string;
  xLabel: string;
  yLabel: string;
  xTicks?: number[];
  yTicks?: number[];
}): Frame {
  const left = 64;
  const right = o.width - 20;
  const top = 58;
  const bottom = o.height - 48;
  const [x0, x1] = o.xDomain[1] > o.xDomain[0] ? o.xDomain : [o.xDomain[0] - 0.5, o.xDomain[0] + 0.5];
  const [y0, y1] = o.yDomain[1] > o.yDomain[0] ? o.yDomain : [o.yDomain[0] - 0.5, o.yDomain[0] + 0.5];
  const x = (v: number) => left + ((v - x0) / (x1 - x0)) * (right - left);
  const y = (v: number) => bottom - ((v - y0) / (y1 - y0)) * (bottom - top);
  const parts: string[] = [];
  for (const t of o.yTicks ?? niceTicks(y0, y1)) {
    if (t < y0 - 1e-12 || t > y1 + 1e-12) continue;
    parts.push(`<line x1="${left}" x2="${right}" y1="${y(t)}" y2="${y(t)}" stroke="#e4e4e4"/>`);
    parts.push(text(left - 6, y(t) + 4, formatTick(t), { size: 11, anchor: 'end' }));
  }
  for (const t of o.xTicks ?? niceTicks(x0, x1)) {
    if (t < x0 - 1e-12 || t > x1 + 1e-12) continue;
    parts.push(`<line x1="${x(t)}" x2="${x(t)}" y1="${bottom}" y2="${bottom + 4}" stroke="#444"/>`);
    parts.push(text(x(t), bottom + 17, formatTick(t), { size: 11, anchor: 'middle' }));
  }
  parts.push(`<line x1="${left}" x2="${right}" y1="${bottom}" y2="${bottom}" stroke="#444"/>`);
  parts.push(`<line x1="${left}" x2="${left}" y1="${top}" y2="${bottom}" stroke="#444"/>`);
  parts.push(text(left, 22, o.title, { size: 15, weight: 'bold' }));
  parts.push(text((left + right) / 2, o.height - 10, o.xLabel, { size: 12, anchor: 'middle' }));
  parts.push(text(16, (top + bottom) / 2, o.yLabel, { size: 12, anchor: 'middle', rotate: -90 }));
  return { x, y, axes: parts.join('\n'), left, right, top, bottom };
}

/** A one-line legend between the title and the plot area (never over the data). */
export function legend(f: Frame, items: { name: string; color: string; dashed?: boolean }[]): string {
  let x = f.left;
  const y = 42;
  const parts: string[] = [];
  for (const it of items) {
    const dash = it.dashed ? ' stroke-dasharray="5 3"' : '';
    parts.push(
      `<line x1="${x}" x2="${x + 20}" y1="${y - 4}" y2="${y - 4}" stroke="${it.color}" stroke-width="3"${dash}/>`,
    );
    parts.push(text(x + 26, y, it.name, { size: 12 }));
    // DejaVu Sans at 12 px averages about 7 px per character.
    x += 26 + it.name.length * 7 + 24;
  }
  return parts.join('');
}
