/**
 * Screenshot an HTML report in headless Debian Chromium, offline (requests other than file: and data: are blocked).
 * Usage: node --import tsx scripts/screenshot-report.ts REPORT.html OUT.png [MAX_HEIGHT_PX]
 */
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from '../test/helpers/chromium.js';

const [html, png, maxHeight] = process.argv.slice(2);
if (!html || !png) {
  console.error('usage: screenshot-report.ts REPORT.html OUT.png [MAX_HEIGHT_PX]');
  process.exit(2);
}
const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.route('**/*', (route) =>
    /^(file|data):/.test(route.request().url()) ? route.continue() : route.abort('blockedbyclient'),
  );
  const page = await context.newPage();
  await page.goto(pathToFileURL(html).href, { waitUntil: 'load' });
  const height = (await page.evaluate('document.documentElement.scrollHeight')) as number;
  const clipHeight = maxHeight ? Math.min(Number(maxHeight), height) : height;
  await page.screenshot({ path: png, clip: { x: 0, y: 0, width: 1280, height: clipHeight }, fullPage: true });
  console.log(`wrote ${png} (1280×${clipHeight} of ${height} px)`);
} finally {
  await browser.close();
}
