/**
 * Text widths for vega's layout in Node. Without a canvas vega estimates every character as 0.8 em wide, which
 * pushes titles away from long rotated axis titles and truncates legend labels at half their length. The report
 * renders with DejaVu Sans (falling back to the viewer's sans-serif), so widths are computed from DejaVu Sans's
 * advance widths (units of 1/2048 em); characters not listed count as 0.63 em.
 */
import * as vega from 'vega';

const ADVANCE: Record<string, number> = {
  ' ': 651,
  '!': 821,
  '"': 942,
  '#': 1716,
  $: 1303,
  '%': 1946,
  '&': 1597,
  "'": 563,
  '(': 799,
  ')': 799,
  '*': 1024,
  '+': 1716,
  ',': 651,
  '-': 739,
  '.': 651,
  '/': 690,
  ':': 690,
  ';': 690,
  '<': 1716,
  '=': 1716,
  '>': 1716,
  '?': 1087,
  '@': 2048,
  A: 1401,
  B: 1405,
  C: 1430,
  D: 1577,
  E: 1294,
  F: 1178,
  G: 1587,
  H: 1540,
  I: 604,
  J: 604,
  K: 1343,
  L: 1141,
  M: 1767,
  N: 1532,
  O: 1612,
  P: 1235,
  Q: 1612,
  R: 1423,
  S: 1300,
  T: 1251,
  U: 1499,
  V: 1401,
  W: 2025,
  X: 1403,
  Y: 1251,
  Z: 1403,
  '[': 799,
  '\\': 690,
  ']': 799,
  '^': 1716,
  _: 1024,
  '`': 1024,
  a: 1255,
  b: 1300,
  c: 1126,
  d: 1300,
  e: 1260,
  f: 721,
  g: 1300,
  h: 1298,
  i: 569,
  j: 569,
  k: 1186,
  l: 569,
  m: 1995,
  n: 1298,
  o: 1253,
  p: 1300,
  q: 1300,
  r: 842,
  s: 1067,
  t: 803,
  u: 1298,
  v: 1212,
  w: 1675,
  x: 1212,
  y: 1212,
  z: 1075,
  '{': 1303,
  '|': 690,
  '}': 1303,
  '~': 1716,
  '·': 651,
  '…': 2048,
  '−': 1716,
  '’': 563,
  '–': 1024,
  '—': 2048,
};
for (const d of '0123456789') ADVANCE[d] = 1303;
const DEFAULT_ADVANCE = 1300;
const BOLD_FACTOR = 1.12;

/** Width in pixels of `text` in DejaVu Sans at `fontSize` px. */
export function dejaVuWidth(text: string, fontSize: number, bold = false): number {
  let units = 0;
  for (const ch of text) units += ADVANCE[ch] ?? DEFAULT_ADVANCE;
  return (units / 2048) * fontSize * (bold ? BOLD_FACTOR : 1);
}

interface TextItem {
  text?: unknown;
  fontSize?: number;
  fontWeight?: string | number;
}

let installed = false;

/** Make vega measure text with {@link dejaVuWidth} (once per process; vega's own estimate is replaced). */
export function installTextMetrics(): void {
  if (installed) return;
  installed = true;
  const metrics = (vega as unknown as { textMetrics: { width: (item: TextItem, text?: unknown) => number } })
    .textMetrics;
  metrics.width = (item: TextItem, text?: unknown) => {
    const value = text ?? item.text;
    const lines = Array.isArray(value) ? value.map(String) : value == null ? [] : [String(value)];
    const size = typeof item.fontSize === 'number' ? item.fontSize : 11;
    const w = item.fontWeight;
    const bold =
      w === 'bold' || w === 'bolder' || (typeof w === 'number' && w >= 600) || w === '600' || w === '700';
    return lines.reduce((m, l) => Math.max(m, dejaVuWidth(l, size, bold)), 0);
  };
}
