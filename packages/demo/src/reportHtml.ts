/**
 * The demo's report.html: a self-contained static page (inline CSS, no scripts) that shows the plots written next to
 * it and the measured numbers. It references only files the demo wrote; {@link referencedFiles} lists them so the
 * demo (and its test) can check they exist.
 */
import type { RetrievalMetrics } from '@tripletkit/miner';
import { esc } from './svg.ts';

/** A figure of the report: a PNG next to report.html, with a caption. */
export interface ReportFigure {
  file: string;
  alt: string;
  caption: string;
}

/** Everything report.html shows. */
export interface ReportContent {
  title: string;
  /** One paragraph on what was run. */
  intro: string;
  trained: RetrievalMetrics;
  baseline: RetrievalMetrics;
  trainedName: string;
  baselineName: string;
  /** Class index → name. */
  classNames: string[];
  /** `html`: markup placed after the text (tables built by the report writer from numbers, never user input). */
  sections: { heading: string; text: string; html?: string; figures: ReportFigure[] }[];
  /** Key/value facts about the run (sizes, timings, settings). */
  facts: [string, string][];
  /** The command that reproduces the run. */
  command: string;
}

const pct = (v: number | null) => (v === null ? '—' : `${(100 * v).toFixed(1)}%`);

function metricsTable(c: ReportContent): string {
  const rows: [string, keyof Pick<RetrievalMetrics, 'precisionAt1' | 'rPrecision' | 'mapAtR'>][] = [
    ['Precision@1', 'precisionAt1'],
    ['R-precision', 'rPrecision'],
    ['MAP@R', 'mapAtR'],
  ];
  const body = rows
    .map(([name, key]) => {
      const t = c.trained[key];
      const b = c.baseline[key];
      const better = t > b ? ' class="better"' : '';
      return `<tr><th>${name}</th><td${better}>${pct(t)}</td><td>${pct(b)}</td><td>${t >= b ? '+' : ''}${(100 * (t - b)).toFixed(1)} pts</td></tr>`;
    })
    .join('\n');
  return `<table class="metrics">
<thead><tr><th></th><th>${esc(c.trainedName)}</th><th>${esc(c.baselineName)}</th><th>difference</th></tr></thead>
<tbody>
${body}
</tbody></table>`;
}

function perClassTable(c: ReportContent): string {
  const base = new Map(c.baseline.perClass.map((p) => [p.label, p]));
  const rows = c.trained.perClass
    .map((p) => {
      const b = base.get(p.label);
      const name = c.classNames[p.label] ?? String(p.label);
      return `<tr><th>${esc(name)}</th><td>${p.queries}</td><td>${p.r}</td><td>${pct(p.precisionAt1)}</td><td>${pct(
        b?.precisionAt1 ?? null,
      )}</td><td>${pct(p.mapAtR)}</td><td>${pct(b?.mapAtR ?? null)}</td></tr>`;
    })
    .join('\n');
  return `<table class="perclass">
<thead><tr><th>class</th><th>queries</th><th>R</th><th>P@1 trained</th><th>P@1 raw</th><th>MAP@R trained</th><th>MAP@R raw</th></tr></thead>
<tbody>
${rows}
</tbody></table>`;
}

function figure(f: ReportFigure): string {
  return `<figure><img src="${esc(f.file)}" alt="${esc(f.alt)}"><figcaption>${esc(f.caption)}</figcaption></figure>`;
}

/**
 * Renders report.html.
 *
 * @example
 * await fs.writeFile('report/report.html', reportHtml(content));
 */
export function reportHtml(c: ReportContent): string {
  const sections = c.sections
    .map(
      (s) =>
        `<section><h2>${esc(s.heading)}</h2><p>${esc(s.text)}</p>${s.html ?? ''}<div class="figs">${s.figures.map(figure).join('')}</div></section>`,
    )
    .join('\n');
  const facts = c.facts.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(c.title)}</title>
<style>
body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; color: #222; margin: 24px auto; max-width: 1180px; padding: 0 16px; line-height: 1.45; }
h1 { font-size: 26px; margin-bottom: 4px; } h2 { font-size: 19px; margin-top: 28px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
p { max-width: 900px; } code { background: #f3f3f3; padding: 1px 4px; border-radius: 3px; }
table { border-collapse: collapse; margin: 10px 0; } th, td { padding: 5px 12px; border-bottom: 1px solid #e3e3e3; text-align: right; }
th:first-child { text-align: left; } thead th { border-bottom: 2px solid #999; }
table.metrics td { font-size: 18px; font-variant-numeric: tabular-nums; } td.better { color: #007a55; font-weight: bold; }
table.facts th, table.facts td { text-align: left; font-size: 14px; }
.figs { display: flex; flex-wrap: wrap; gap: 16px; } figure { margin: 0; } figure img { width: 560px; max-width: 100%; border: 1px solid #ddd; }
figure.wide img { width: auto; } figcaption { font-size: 13px; color: #555; max-width: 560px; }
</style></head>
<body>
<h1>${esc(c.title)}</h1>
<p>${esc(c.intro)}</p>
<h2>Retrieval on the held-out split</h2>
${metricsTable(c)}
<p>Every held-out image queries all the other held-out images (itself excluded). R is the number of other images of
its class; precision@1 asks whether the nearest one has the same class, R-precision counts same-class images among the
R nearest, MAP@R also rewards ranking them first (Musgrave et al., <i>A Metric Learning Reality Check</i>, 2020 —
the metrics of PyTorch Metric Learning's AccuracyCalculator).</p>
${sections}
<h2>Per class</h2>
${perClassTable(c)}
<h2>Run</h2>
<table class="facts">
${facts}
</table>
<p>Reproduce: <code>${esc(c.command)}</code></p>
</body></html>
`;
}

/** The local files an HTML page references through src= or href= (not URLs with a scheme, not anchors). */
export function referencedFiles(html: string): string[] {
  const out = new Set<string>();
  for (const m of html.matchAll(/\b(?:src|href)="([^"]+)"/g)) {
    const ref = m[1].replace(/&amp;/g, '&');
    if (/^[a-z][a-z0-9+.-]*:/i.test(ref) || ref.startsWith('#')) continue;
    out.add(ref);
  }
  return [...out];
}
