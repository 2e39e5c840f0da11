// The web console as a browser loads it. `npm run bench -- console [--quick]`.
// Builds dist/ (the console included) when stale, loads 100,000 generated listings into a scratch SQLite catalogue
// (2,000 with --quick), starts the real API as its own process (production mode) and opens the console in Debian's
// Chromium, each run in a fresh context (cold cache):
//   signin   the first page anyone sees (/): JavaScript it loads, gzipped and as sent (brotli), and time until the
//            sign-in form can be typed into;
//   catalog  the catalogue (/catalog) until it is interactive: the search box enabled and the first page of
//            listings on screen; its JavaScript and that time, and the API's own time for the same first page.
// Budgets (issue 13): initial JavaScript under 500 kB gzipped; the catalogue interactive within 1.5 s.
// Figures are medians over --runs=N (5; 3 with --quick). Options: --listings=N.
import { statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { buildConsoleIfStale, launchConsoleBrowser } from '../../test/support/browser.js';
import { startApiProcess } from '../../test/support/api-process.js';
import { load, prepare } from '../catalog/seed.js';
import { isQuick, median, report } from '../report.js';

const BENCH = 'console';
const ASSETS = fileURLToPath(new URL('../../dist/console/assets', import.meta.url));
const option = (name: string): string | undefined =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);

interface Load {
  ms: number;
  gzipBytes: number;
  sentBytes: number;
  scripts: number;
}

/** Size of the build's gzip copy of a script (the build writes one beside each). */
const gzipSize = (url: string) => statSync(join(ASSETS, `${basename(new URL(url).pathname)}.gz`)).size;

/** Opens `path` in a fresh context and measures until `ready` resolves; counts every script the page fetched. */
async function measure(
  open: () => Promise<Page>,
  path: string,
  ready: (page: Page) => Promise<void>,
): Promise<Load> {
  const page = await open();
  const scripts: { url: string; sent: Promise<number> }[] = [];
  page.on('response', (response) => {
    if (response.request().resourceType() === 'script')
      scripts.push({
        url: response.url(),
        sent: response
          .request()
          .sizes()
          .then((s) => s.responseBodySize),
      });
  });
  await page.goto(path, { waitUntil: 'commit' });
  await ready(page);
  const ms = await page.evaluate(() => performance.now());
  const sent = await Promise.all(scripts.map((s) => s.sent));
  await page.context().close();
  return {
    ms,
    gzipBytes: scripts.reduce((sum, s) => sum + gzipSize(s.url), 0),
    sentBytes: sent.reduce((a, b) => a + b, 0),
    scripts: scripts.length,
  };
}

const signInReady = async (page: Page) => {
  await page.getByLabel(/用户名|Username/).waitFor({ state: 'visible' });
};

/** The search box can be typed into and the first page of listings is on screen. */
const catalogReady = async (page: Page) => {
  await page.locator('main .ant-input-search input').waitFor({ state: 'visible' });
  await page.locator('main tr[data-row-key]').first().waitFor({ state: 'visible' });
};

async function main(): Promise<void> {
  const quick = isQuick();
  const count = Number(option('listings') ?? (quick ? 2_000 : 100_000));
  const runs = Number(option('runs') ?? (quick ? 3 : 5));
  buildConsoleIfStale();
  const prepared = await prepare('sqlite');
  const api = await (async () => {
    await load('sqlite', prepared.env, count, BENCH);
    return startApiProcess(prepared.env);
  })();
  const browser = await launchConsoleBrowser();
  try {
    const open = async () => (await browser.context('zh')).newPage();
    const figure = (name: string, value: number, unit: string, n = runs) =>
      report({ bench: BENCH, figure: name, value, unit, n });
    for (const [name, path, ready] of [
      ['signin', '/', signInReady],
      ['catalog', '/catalog', catalogReady],
    ] as const) {
      await measure(open, api.baseUrl + path, ready); // warm-up: the API's caches, Chromium's own start
      const loads: Load[] = [];
      for (let i = 0; i < runs; i++) loads.push(await measure(open, api.baseUrl + path, ready));
      figure(`${name}.js_gzip_kb`, Math.round(median(loads.map((l) => l.gzipBytes)) / 100) / 10, 'kB');
      figure(`${name}.js_sent_kb`, Math.round(median(loads.map((l) => l.sentBytes)) / 100) / 10, 'kB');
      figure(`${name}.scripts`, median(loads.map((l) => l.scripts)), 'files');
      figure(`${name}.interactive_ms`, Math.round(median(loads.map((l) => l.ms))), 'ms');
    }
    // The API alone, for the same first page of the catalogue: what the browser adds on top of it.
    const api_ms: number[] = [];
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      const reply = await fetch(`${api.baseUrl}/v1/catalog?limit=20`, {
        headers: { 'accept-encoding': 'gzip, br' },
      });
      await reply.arrayBuffer();
      api_ms.push(performance.now() - started);
    }
    figure('catalog.api_first_page_ms', Math.round(median(api_ms) * 10) / 10, 'ms');
    report({ bench: BENCH, figure: 'catalog.listings', value: count, unit: 'listings', n: 1 });
  } finally {
    await browser.close();
    await api.kill('SIGTERM');
    await prepared.cleanup();
  }
}

await main();
