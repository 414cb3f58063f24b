/**
 * Debian's chromium driven by playwright-core, for the dashboard's browser tests: a fresh profile
 * per run, no network beyond the server under test, console errors collected per page. The test
 * files declare `requireTools('chromium')`, which finds it on PATH (Debian: /usr/bin/chromium).
 */
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { toolPath } from '../test/helpers/require-tools.js';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Launches chromium with its profile in `dir` (playwright passes it as --user-data-dir). */
export function launchChromium(dir: string): Promise<BrowserContext> {
  const executablePath = toolPath('chromium');
  if (executablePath === undefined) throw new Error('chromium is not on PATH');
  return chromium.launchPersistentContext(join(dir, 'chromium'), {
    executablePath,
    args: CHROMIUM_ARGS,
  });
}

/** Opens a dashboard route and collects console errors and page errors while it is open. */
export async function openRoute(
  browser: BrowserContext | undefined,
  url: string,
  route: string,
): Promise<{ page: Page; errors: string[] }> {
  if (browser === undefined) throw new Error('chromium did not start');
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${url}/#${route}`);
  return { page, errors };
}
