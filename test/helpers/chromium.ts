/**
 * How the project starts headless Debian Chromium (tests and scripts/screenshot-report.ts): the system binary, and
 * the flags that keep it from reaching for the network on a closed machine.
 */
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
