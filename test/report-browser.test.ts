/**
 * The report in a real browser: headless Debian Chromium opens the HTML from disk, every figure must have rendered
 * (an <svg> with marks and its axis titles as text), and no request may leave the machine.
 *
 * Needs Debian's chromium at /usr/bin/chromium (`apt-get install -y chromium`); without it this test FAILS.
 * `UPDATE_SCREENSHOT=1` writes the full-page screenshot to docs/report-screenshot.png (else to a temp folder).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createReport } from '../src/report/index.js';
import { writeSampleRunDirs } from '../src/report/sample-runs.js';
import { evaluateTable } from '../src/surgery/evaluate-table.js';
import { writeEvaluateRun } from '../src/surgery/write-evaluate-run.js';
import { nb101Items, nb301Items, scoresCsv, truthCsv } from './helpers/synthetic-benchmarks.js';
import { CHROMIUM, CHROMIUM_ARGS as ARGS } from './helpers/chromium.js';

/** The little of the DOM the checks use (the project compiles without the DOM library). */
interface El {
  id: string;
  textContent: string | null;
  querySelector(selector: string): El | null;
  querySelectorAll(selector: string): Iterable<El> & { length: number };
  getBoundingClientRect(): { width: number; height: number };
}
const DOCS_SHOT = fileURLToPath(new URL('../docs/report-screenshot.png', import.meta.url));

/** Open a file:// page, recording every request; anything but file: and data: is aborted and reported. */
async function openOffline(browser: Browser, file: string): Promise<{ page: Page; external: Set<string> }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
  const external = new Set<string>();
  const isLocal = (url: string) => url.startsWith('file:') || url.startsWith('data:');
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (isLocal(url)) return route.continue();
    external.add(url);
    return route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  page.on('request', (req) => {
    if (!isLocal(req.url())) external.add(req.url());
  });
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return { page, external };
}

/** Every figure of the report drew (one <svg> with marks, its title and axis titles as text) and every table has rows. */
async function assertRendered(
  page: Page,
  report: Awaited<ReturnType<typeof createReport>>['report'],
): Promise<void> {
  const rendered = await page.evaluate(() =>
    [...(globalThis as unknown as { document: El }).document.querySelectorAll('figure.chart')].map((fig) => {
      const svg = fig.querySelector('svg');
      const box = svg?.getBoundingClientRect();
      const marks = svg
        ? svg.querySelectorAll('g.role-mark path, g.role-mark line, g.role-mark rect, g.role-mark circle')
            .length
        : 0;
      return {
        id: fig.id,
        svgs: fig.querySelectorAll('svg').length,
        width: box?.width ?? 0,
        height: box?.height ?? 0,
        marks,
        texts: svg ? [...svg.querySelectorAll('text')].map((t) => t.textContent ?? '') : [],
        caption: fig.querySelector('figcaption')?.textContent ?? '',
      };
    }),
  );
  assert.deepEqual(
    rendered.map((r) => r.id),
    report.figures.map((f) => f.id),
  );
  for (const f of report.figures) {
    const r = rendered.find((x) => x.id === f.id)!;
    assert.equal(r.svgs, 1, `${f.id}: one <svg>`);
    assert.ok(r.width > 200 && r.height > 150, `${f.id}: drawn at ${r.width}×${r.height}`);
    assert.ok(r.marks > 0, `${f.id}: no marks`);
    assert.ok(r.texts.includes(f.title), `${f.id}: title '${f.title}' not rendered`);
    for (const t of f.axisTitles) assert.ok(r.texts.includes(t), `${f.id}: axis title '${t}' not rendered`);
    assert.match(r.caption, new RegExp(`^Figure ${f.number}\\. `));
  }
  const tables = await page.evaluate(() =>
    [...(globalThis as unknown as { document: El }).document.querySelectorAll('figure.table')].map(
      (t) => t.querySelectorAll('tbody tr').length,
    ),
  );
  assert.equal(tables.length, report.tables.length);
  assert.ok(tables.every((rows) => rows > 0));
}

test('the report renders offline in headless Chromium: every figure drawn, no request leaves the machine', async () => {
  assert.ok(
    existsSync(CHROMIUM),
    `${CHROMIUM} is missing: this test needs Debian's Chromium. Install it with ` +
      '`apt-get install -y chromium` (CI: add it to the apt packages of .ci/run).',
  );
  const root = mkdtempSync(path.join(tmpdir(), 'nass-report-browser-'));
  // Real evaluate directories from the bundled ground truth; SYNTHETIC predictor, search and curve directories.
  const dirs = writeSampleRunDirs(path.join(root, 'runs'), { bootstrap: 50 });
  const html = path.join(root, 'report.html');
  const { report } = await createReport(dirs, html, {
    title: 'nas-surgery report (sample: real free evaluators, synthetic predictors, searches and curves)',
  });
  assert.ok(report.figures.length >= 7);

  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  try {
    const { page, external } = await openOffline(browser, html);
    await assertRendered(page, report);
    assert.deepEqual([...external], [], `requests left the machine: ${[...external].join(', ')}`);

    const shot = process.env.UPDATE_SCREENSHOT === '1' ? DOCS_SHOT : path.join(root, 'report-screenshot.png');
    mkdirSync(path.dirname(shot), { recursive: true });
    await page.screenshot({ path: shot, fullPage: true });
    assert.ok(statSync(shot).size > 50_000, 'screenshot written');

    // The guard itself works: a page that loads an external image is caught (and the request aborted).
    const leaky = path.join(root, 'leaky.html');
    writeFileSync(leaky, '<!DOCTYPE html><title>x</title><img src="http://example.invalid/x.png">');
    const probe = await openOffline(browser, leaky);
    assert.deepEqual([...probe.external], ['http://example.invalid/x.png']);
  } finally {
    await browser.close();
  }
});

test('a report of a custom benchmark (SYNTHETIC NB101- and NB301-style truth files) renders in Chromium', async () => {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: this test needs Debian's Chromium`);
  const root = mkdtempSync(path.join(tmpdir(), 'nass-report-custom-'));
  const dirs: string[] = [];
  for (const [name, items, costs, cls] of [
    ['nb101', nb101Items(100), ['params'], 'class'],
    ['nb301', nb301Items(120), ['params'], undefined],
  ] as const) {
    const truth = path.join(root, `${name}-truth.csv`);
    const scores = path.join(root, `${name}-scores.csv`);
    writeFileSync(truth, truthCsv(items));
    writeFileSync(scores, scoresCsv(items));
    const { evaluations } = evaluateTable({
      scoresFile: scores,
      scoreColumn: 'predictor',
      bootstrap: { resamples: 20, seed: 0 },
      truthFile: { file: truth, truthColumn: 'val_accuracy', costColumns: costs, classColumn: cls },
    });
    const dir = path.join(root, 'runs', name);
    writeEvaluateRun(
      dir,
      {
        ...evaluations[0],
        label: `predictor on ${name}`,
        name: 'evaluate',
        command: 'evaluate (test)',
        config: { name },
        seeds: {},
        inputs: [scores, truth],
        startedAt: new Date(),
        timingsMs: {},
      },
      false,
    );
    dirs.push(dir);
  }
  const html = path.join(root, 'custom.html');
  const { report } = await createReport(dirs, html, { title: 'custom benchmarks (SYNTHETIC)' });
  assert.ok(report.figures.some((f) => f.title === 'Rank error and Kendall τ by params group'));
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  try {
    const { page, external } = await openOffline(browser, html);
    await assertRendered(page, report);
    const text = await page.evaluate(
      () => (globalThis as unknown as { document: El }).document.querySelector('body')?.textContent ?? '',
    );
    assert.match(text, /nb101-truth/, 'the report names the benchmark');
    assert.match(text, /nb301-truth/, 'the report names the benchmark');
    assert.deepEqual([...external], []);
  } finally {
    await browser.close();
  }
});
