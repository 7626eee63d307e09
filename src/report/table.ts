/** Plain-text and markdown tables. The first column is left-aligned, the others right-aligned unless `leftAlign`. */
export interface Table {
  headers: string[];
  rows: string[][];
  /** Left-align every column (key/value tables). */
  leftAlign?: boolean;
}

export function renderTextTable({ headers, rows, leftAlign }: Table): string {
  const widths = headers.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, c) => (c === 0 || leftAlign ? cell.padEnd(widths[c]) : cell.padStart(widths[c])))
      .join('  ')
      .trimEnd();
  return [line(headers), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function renderMarkdownTable({ headers, rows }: Table): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  return [
    `| ${headers.map(esc).join(' | ')} |`,
    `| ${headers.map((_, c) => (c === 0 ? '---' : '---:')).join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
  ].join('\n');
}

/** A number with fixed decimals; NaN/undefined as an en dash. */
export function fmt(v: number | null | undefined, digits = 4): string {
  return v === null || v === undefined || Number.isNaN(v) ? '–' : v.toFixed(digits);
}

/** A ratio key ("0.001") as a percentage label ("0.1%"). */
export function ratioLabel(key: string): string {
  return `${+(Number(key) * 100).toFixed(3)}%`;
}
