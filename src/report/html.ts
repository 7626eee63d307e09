/**
 * The report page: one self-contained HTML document (inline CSS and SVG, no script, no external resource).
 */
import type { Table } from './table.js';

export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A table as HTML: first column (or every column with `leftAlign`) left-aligned, the others numeric. */
export function tableHtml(t: Table): string {
  const cls = (c: number) => (c === 0 || t.leftAlign ? '' : ' class="num"');
  const head = t.headers.map((h, c) => `<th scope="col"${cls(c)}>${escapeHtml(h)}</th>`).join('');
  const body = t.rows
    .map(
      (r) =>
        '<tr>' +
        r
          .map((cell, c) =>
            c === 0 ? `<th scope="row">${escapeHtml(cell)}</th>` : `<td${cls(c)}>${escapeHtml(cell)}</td>`,
          )
          .join('') +
        '</tr>',
    )
    .join('\n');
  return `<table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

export const REPORT_CSS = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #f6f6f4; color: #1d1d1f;
  font: 15px/1.5 "DejaVu Sans", "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1220px; margin: 0 auto; padding: 24px 28px 64px; background: #fff; min-height: 100vh; }
h1 { font-size: 26px; margin: 8px 0 4px; }
h2 { font-size: 20px; margin: 40px 0 10px; padding-top: 10px; border-top: 2px solid #e3e3e0; }
.meta { color: #555; font-size: 13px; margin: 0 0 16px; }
nav ol { columns: 2; margin: 6px 0 0; padding-left: 22px; font-size: 14px; }
nav a, figcaption a { color: #2a5d9f; }
figure { margin: 22px 0 30px; }
figure.chart .plot { overflow-x: auto; }
figure.chart svg { display: block; max-width: 100%; height: auto; }
figcaption { font-size: 14px; color: #333; max-width: 1000px; margin-top: 8px; }
figcaption .n { font-weight: bold; }
figcaption .files { color: #666; font-size: 12px; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; font-size: 13px; margin: 4px 0; font-variant-numeric: tabular-nums; }
th, td { padding: 4px 10px; border-bottom: 1px solid #e4e4e4; text-align: left; vertical-align: top; }
thead th { background: #f0f0ec; border-bottom: 2px solid #ccc; font-weight: 600; }
tbody th { font-weight: normal; white-space: nowrap; }
tbody tr:nth-child(even) { background: #fafaf8; }
.num { text-align: right; white-space: nowrap; }
.note { color: #555; font-size: 13px; }
@media print { body { background: #fff; } main { padding: 0; } figure, table { break-inside: avoid; } }
`;

export interface HtmlFigure {
  id: string;
  number: number;
  title: string;
  caption: string;
  /** SVG markup, already made safe for inlining. */
  svg: string;
  /** Relative links to the exported files, or null. */
  files: { svg: string; png: string } | null;
}

export interface HtmlTable {
  id: string;
  number: number;
  title: string;
  caption: string;
  table: Table;
}

export type HtmlBlock = { kind: 'figure'; figure: HtmlFigure } | { kind: 'table'; table: HtmlTable };

export interface HtmlSection {
  id: string;
  title: string;
  intro?: string;
  blocks: HtmlBlock[];
}

export function figureHtml(f: HtmlFigure): string {
  const files = f.files
    ? ` <span class="files">Also as <a href="${escapeHtml(f.files.svg)}">SVG</a> and ` +
      `<a href="${escapeHtml(f.files.png)}">PNG</a>.</span>`
    : '';
  return (
    `<figure class="chart" id="${escapeHtml(f.id)}" data-figure-id="${escapeHtml(f.id)}">\n` +
    `<div class="plot">${f.svg}</div>\n` +
    `<figcaption><span class="n">Figure ${f.number}. ${escapeHtml(f.title)}.</span> ${escapeHtml(f.caption)}${files}</figcaption>\n` +
    `</figure>`
  );
}

export function tableBlockHtml(t: HtmlTable): string {
  return (
    `<figure class="table" id="${escapeHtml(t.id)}" data-table-id="${escapeHtml(t.id)}">\n` +
    `<figcaption><span class="n">Table ${t.number}. ${escapeHtml(t.title)}.</span> ${escapeHtml(t.caption)}</figcaption>\n` +
    `<div class="table-wrap">${tableHtml(t.table)}</div>\n` +
    `</figure>`
  );
}

/** The whole page. */
export function reportHtml(args: {
  title: string;
  meta: string;
  inputs: Table;
  sections: readonly HtmlSection[];
}): string {
  const toc = args.sections
    .map(
      (s) =>
        `<li><a href="#${escapeHtml(s.id)}">${escapeHtml(s.title)}</a>: ` +
        s.blocks
          .map((b) =>
            b.kind === 'figure'
              ? `<a href="#${escapeHtml(b.figure.id)}">Fig. ${b.figure.number}</a>`
              : `<a href="#${escapeHtml(b.table.id)}">Tab. ${b.table.number}</a>`,
          )
          .join(', ') +
        '</li>',
    )
    .join('\n');
  const sections = args.sections
    .map(
      (s) =>
        `<section id="${escapeHtml(s.id)}">\n<h2>${escapeHtml(s.title)}</h2>\n` +
        (s.intro ? `<p class="note">${escapeHtml(s.intro)}</p>\n` : '') +
        s.blocks
          .map((b) => (b.kind === 'figure' ? figureHtml(b.figure) : tableBlockHtml(b.table)))
          .join('\n') +
        '\n</section>',
    )
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="nas-surgery report">
<title>${escapeHtml(args.title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<main>
<h1>${escapeHtml(args.title)}</h1>
<p class="meta">${escapeHtml(args.meta)}</p>
<div class="table-wrap">${tableHtml(args.inputs)}</div>
<nav aria-label="contents"><ol>
${toc}
</ol></nav>
${sections}
</main>
</body>
</html>
`;
}
