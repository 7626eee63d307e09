/**
 * Rendering of vega-lite specs to static SVG in Node (no browser, no network), and SVG to PNG with resvg.
 */
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { installTextMetrics } from './text-metrics.js';

/** Font stack of every chart: DejaVu Sans where installed (resvg, Debian), else the viewer's sans-serif. */
export const CHART_FONT = 'DejaVu Sans, Verdana, Arial, sans-serif';

/** Chart styling shared by every figure (merged under each spec's own config). */
export const CHART_CONFIG = {
  font: CHART_FONT,
  background: 'white',
  padding: 8,
  title: { fontSize: 16, fontWeight: 'bold', anchor: 'start', subtitleFontSize: 12, subtitleColor: '#555' },
  axis: { labelFontSize: 12, titleFontSize: 13, titleFontWeight: 'normal', gridColor: '#e6e6e6' },
  header: { labelFontSize: 13, titleFontSize: 13 },
  legend: {
    labelFontSize: 12,
    titleFontSize: 13,
    labelLimit: 600,
    titleLimit: 600,
    orient: 'bottom',
    direction: 'vertical',
  },
  view: { stroke: '#bbb' },
  concat: { spacing: 28 },
} as const;

/** A loader that refuses every external resource: report data is always inline. */
function offlineLoader(): vega.Loader {
  const refuse = async (uri: string): Promise<never> => {
    throw new Error(`report charts load nothing (refused ${uri})`);
  };
  return {
    options: {},
    sanitize: refuse,
    load: refuse,
    fileAccess: false,
    file: refuse,
    http: refuse,
  } as unknown as vega.Loader;
}

/** Compile a vega-lite spec and render it to an SVG string (headless, renderer 'none'). */
export async function renderVegaLiteSvg(spec: TopLevelSpec): Promise<string> {
  installTextMetrics();
  const withConfig = { ...spec, config: { ...CHART_CONFIG, ...(spec.config ?? {}) } } as TopLevelSpec;
  const compiled = compile(withConfig).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', loader: offlineLoader() });
  try {
    return compactSvg(await view.toSVG());
  } finally {
    view.finalize();
  }
}

/** Round the coordinates of geometry attributes (d, transform, points) to 2 decimals: 10× smaller scatter plots. */
export function compactSvg(svg: string): string {
  return svg.replace(/ (d|transform|points)="([^"]*)"/g, (_m, attr: string, value: string) => {
    const v = value.replace(/-?\d+\.\d{3,}(e-?\d+)?/g, (x) => String(Math.round(Number(x) * 100) / 100));
    return ` ${attr}="${v}"`;
  });
}

/**
 * Make the ids of one SVG unique inside a page holding several (vega names its clip paths clip1, clip2, … in every
 * chart), and drop the XML namespace declarations, which inline SVG in HTML does not need. The standalone .svg files
 * keep the original.
 */
export function inlineSvg(svg: string, prefix: string): string {
  return svg
    .replace(/ xmlns(:xlink)?="[^"]*"/g, '')
    .replace(/\bid="([^"]+)"/g, (_m, id: string) => `id="${prefix}-${id}"`)
    .replace(/url\(#([^)]+)\)/g, (_m, id: string) => `url(#${prefix}-${id})`)
    .replace(
      /\b(xlink:)?href="#([^"]+)"/g,
      (_m, x: string | undefined, id: string) => `${x ?? ''}href="#${prefix}-${id}"`,
    );
}

/** Render an SVG to PNG (2× scale by default) with the system fonts. */
export function svgToPng(svg: string, scale = 2): Uint8Array {
  const r = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
    background: 'white',
  });
  return r.render().asPng();
}
