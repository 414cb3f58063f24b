/**
 * Signing in to the dashboard of a server with read tokens, in a real browser: the pages ask for
 * a token instead of showing data, a wrong one is said to be wrong, a read token opens them, and
 * it travels as `Authorization: Bearer` from sessionStorage, never in a cookie or the URL.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newToken, tokenLine } from '../src/server/auth/token-file.js';
import { startDemoServer, type DemoServer } from '../test/helpers/demo-server.js';
import { requireTools } from '../test/helpers/require-tools.js';
import { launchChromium, openRoute } from './browser.js';

const haveChromium = requireTools('chromium');
const read = newToken();
const submit = newToken();
let dir: string;
let demo: DemoServer;
let browser: BrowserContext | undefined;

beforeAll(async () => {
  if (!haveChromium) return;
  dir = mkdtempSync(join(tmpdir(), 'nospy-sign-in-'));
  const tokensFile = join(dir, 'tokens');
  writeFileSync(
    tokensFile,
    tokenLine(read, ['read'], 'dashboard') + tokenLine(submit, ['submit'], 'ci'),
  );
  demo = await startDemoServer({ tokensFile });
  browser = await launchChromium(dir);
}, 120_000);

afterAll(async () => {
  if (!haveChromium) return;
  await browser?.close();
  await demo.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the dashboard of a server with read tokens', () => {
  it('asks for a token, refuses a wrong one and one without read, and shows the findings with a read token', async () => {
    const { page } = await open('/');
    await page.locator('#token').waitFor();
    expect(await page.locator('tr[data-finding]').count()).toBe(0);

    await page.fill('#token', newToken());
    await page.click('button[type=submit]');
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toMatch(/not accepted \(HTTP 401\)/);

    await page.fill('#token', submit);
    await page.click('button[type=submit]');
    await page.getByText('it needs the scope read').waitFor();

    const sent: (string | undefined)[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname.startsWith('/v1/'))
        sent.push(request.headers()['authorization']);
    });
    await page.fill('#token', read);
    await page.click('button[type=submit]');
    await page.locator('tr[data-finding]').first().waitFor();
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.every((header) => header === `Bearer ${read}`)).toBe(true);
    expect(await page.evaluate('document.cookie')).toBe('');
    expect(page.url()).not.toContain(read);

    // Signing out forgets the token: the pages ask again.
    await page.getByText('Sign out').click();
    await page.locator('#token').waitFor();
    expect(await page.evaluate("sessionStorage.getItem('nospy.token')")).toBeNull();
  }, 120_000);
});

function open(route: string) {
  return openRoute(browser, demo.url, route);
}
