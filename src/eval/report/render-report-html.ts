import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { PlotSpec } from './plot-specs.js';

/** What goes into a report page: a title, lines of context, an optional summary (HTML-safe Markdown-ish text) and the plots. */
export interface ReportContent {
  readonly title: string;
  readonly subtitle: string;
  /** Plain-language verdict lines shown at the top (e.g. "Met: …", "Missed: …"). */
  readonly verdict: readonly string[];
  /** A table of numbers as rows of cells; the first row is the header. */
  readonly table: readonly (readonly string[])[];
  readonly plots: readonly PlotSpec[];
}

let plotlySource: string | undefined;

/** The Plotly bundle's text, read once from node_modules so the report works with no network. */
function plotlyBundle(): string {
  plotlySource ??= readFileSync(createRequire(import.meta.url).resolve('plotly.js-dist-min'), 'utf8');
  return plotlySource;
}

const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);
/** JSON that is safe inside a <script> element. */
const scriptJson = (v: unknown) => JSON.stringify(v).replace(/</g, '\\u003c');

/**
 * Renders a single self-contained HTML file (Plotly inlined, no network needed to open it) with the
 * verdict, a table of figures and one interactive plot per spec.
 */
export function renderReportHtml(content: ReportContent): string {
  const [head, ...rows] = content.table;
  const table = head
    ? `<table><thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${rows
        .map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`)
        .join('')}</tbody></table>`
    : '';
  const verdict = content.verdict
    .map((v) => `<li class="${v.startsWith('Missed') ? 'missed' : v.startsWith('Met') ? 'met' : ''}">${escapeHtml(v)}</li>`)
    .join('');
  const sections = content.plots
    .map((p) => `<section><h2>${escapeHtml(p.title)}</h2><p class="caption">${escapeHtml(p.caption)}</p><div class="plot" id="${p.id}"></div></section>`)
    .join('\n');
  const draw = content.plots
    .map(
      (p) =>
        `Plotly.newPlot(${scriptJson(p.id)}, ${scriptJson(p.data)}, Object.assign({margin:{t:10,r:10},legend:{orientation:'h'}}, ${scriptJson(p.layout)}), {responsive:true, displaylogo:false});`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(content.title)}</title>
<style>
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0 auto;max-width:1100px;padding:1.5rem;color:#1d2330}
h1{margin-bottom:.2rem} .subtitle{color:#555;margin-top:0}
ul.verdict{padding-left:1.2rem} li.met{color:#176d2c} li.missed{color:#a4161a;font-weight:600}
table{border-collapse:collapse;margin:1rem 0;font-variant-numeric:tabular-nums}
th,td{border:1px solid #d6d9e0;padding:.3rem .6rem;text-align:right} th:first-child,td:first-child{text-align:left}
section{margin-top:2rem} .caption{color:#555;max-width:70ch} .plot{height:420px}
</style>
<script>${plotlyBundle()}</script>
</head><body>
<h1>${escapeHtml(content.title)}</h1>
<p class="subtitle">${escapeHtml(content.subtitle)}</p>
<ul class="verdict">${verdict}</ul>
${table}
${sections}
<script>${draw}</script>
</body></html>
`;
}
