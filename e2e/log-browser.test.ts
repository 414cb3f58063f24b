/**
 * The log browser and the statuses beside it (Debian's chromium driven by playwright-core, over
 * the demo world served as `nospy serve` serves it): the entry list and an entry's page, reached
 * by clicking from the overview, show the decoded statement only from bytes the page proved
 * included in a checkpoint it verified with the user's keys (a server that alters a tile gets
 * NOT VERIFIED and no statement); vendor and device pages link their SBOM and MUD blobs and give
 * each clause its true status; every page at 1400 and 390 px without sideways scroll or a serious
 * axe-core violation.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../src/check/finding.js';
import { startDemoServer, type DemoServer } from '../test/helpers/demo-server.js';
import { requireTools } from '../test/helpers/require-tools.js';
import { seriousViolations, scrollsSideways } from './axe.js';
import { launchChromium, openRoute } from './browser.js';

let demo: DemoServer;
let browser: BrowserContext | undefined;
let findings: Finding[];
let logSize: number;
let deviceWithRelease: string;

async function api<T>(path: string): Promise<T> {
  const response = await fetch(`${demo.url}${path}`);
  if (!response.ok) throw new Error(`${path}: HTTP ${String(response.status)}`);
  return (await response.json()) as T;
}

const haveChromium = requireTools('chromium');
const SLOW = 240_000;

beforeAll(async () => {
  if (!haveChromium) return;
  demo = await startDemoServer();
  findings = (await api<{ findings: Finding[] }>('/v1/findings')).findings;
  logSize = (await api<{ log: { size: number } }>('/v1/summary')).log.size;
  const devices = (await api<{ devices: { id: string }[] }>('/v1/devices')).devices;
  for (const d of devices) {
    const detail = await api<{ releaseInfo?: unknown }>(`/v1/devices/${d.id}`);
    if (detail.releaseInfo !== undefined) {
      deviceWithRelease = d.id;
      break;
    }
  }
  browser = await launchChromium(demo.dir);
}, 120_000);

afterAll(async () => {
  if (!haveChromium) return;
  await browser?.close();
  await demo.close();
});

/** Opens a route at a width, with no keys kept from an earlier test, once its data has loaded. */
async function openAt(route: string, width: number): Promise<{ page: Page; errors: string[] }> {
  const opened = await openRoute(browser, demo.url, route);
  await opened.page.setViewportSize({ width, height: 900 });
  // A string, not a function: the test compiles against Node's types, which have no localStorage.
  await opened.page.evaluate('localStorage.clear()');
  await opened.page.reload();
  await opened.page.locator('main h1').first().waitFor();
  await opened.page.waitForFunction('!document.body.innerText.includes("Loading…")');
  return opened;
}

/** One attribute of every element a locator finds. */
async function attributes(locator: Locator, name: string): Promise<(string | null)[]> {
  return Promise.all((await locator.all()).map((l) => l.getAttribute(name)));
}

async function giveTrustFile(page: Page): Promise<void> {
  await page.locator('#trust-file').setInputFiles(join(demo.dir, 'data', 'trust.yaml'));
  await page.locator('#independence[data-independent="true"]').waitFor();
}

/** The entry page's verdict once verification has ended. */
async function entryVerdict(page: Page) {
  const verdict = page.locator('#entry-verdict[data-verified]');
  await verdict.waitFor({ timeout: 60_000 });
  return {
    verified: await verdict.getAttribute('data-verified'),
    independent: await verdict.getAttribute('data-independent'),
    text: (await verdict.textContent()) ?? '',
  };
}

describe('the log browser', () => {
  it(
    "reaches a finding's log entry from the overview and verifies it with the user's trust file",
    async () => {
      const target = findings.find((f) => f.evidence.some((e) => e.type === 'statement'));
      if (target === undefined) throw new Error('the demo has no finding citing a statement');
      const { page, errors } = await openAt('/', 1400);
      await page.locator(`tr[data-finding="${target.id}"] a.finding-link`).click();
      await page.locator(`[data-finding-page="${target.id}"]`).waitFor();
      const href = (await page.locator('a.log-link').first().getAttribute('href')) ?? '';
      expect(href).toMatch(/^#\/log\/entry\/\d+$/);
      const index = href.replace('#/log/entry/', '');
      await page.locator('a.log-link').first().click();
      await page.getByRole('heading', { name: `Log entry ${index}` }).waitFor();

      // No keys of the user's own: verified against the server's key, and said so.
      const fallback = await entryVerdict(page);
      expect(fallback.verified, fallback.text).toBe('true');
      expect(fallback.independent).toBe('false');
      expect(await page.locator('#independence').getAttribute('data-independent')).toBe('false');

      await giveTrustFile(page);
      const own = await entryVerdict(page);
      expect(own, own.text).toMatchObject({ verified: 'true', independent: 'true' });
      expect(own.text).toContain('VERIFIED independently');
      expect(await page.locator('#entry-checkpoint').getAttribute('data-size')).toBe(
        String(logSize),
      );
      // Signers named by the trust file, each signature verified with it.
      const signers = page.locator('#entry-statement [data-signer]');
      expect(await signers.count()).toBeGreaterThan(0);
      expect(new Set(await attributes(signers, 'data-verified'))).toEqual(new Set(['true']));
      expect(await page.locator('#entry-statement').textContent()).toMatch(/\((vendor|operator)/);
      expect(errors).toEqual([]);
      await page.close();
    },
    SLOW,
  );

  it(
    'shows no statement and NOT VERIFIED when the server alters the entry tile',
    async () => {
      const { page } = await openAt('/log/entry/0', 1400);
      await giveTrustFile(page);
      await entryVerdict(page);
      await page.route('**/tile/entries/**', async (route) => {
        const response = await route.fetch();
        const body = Buffer.from(await response.body());
        // One byte of the first entry's statement changed: its leaf hash no longer fits.
        const at = body.indexOf('"payload"');
        body[at + 12] = (body[at + 12] ?? 0) ^ 1;
        await route.fulfill({ response, body });
      });
      await page.reload();
      const altered = await entryVerdict(page);
      expect(altered.verified, altered.text).toBe('false');
      expect(altered.text).toContain('NOT VERIFIED');
      await page.locator('#entry-unproved').waitFor();
      expect(await page.locator('#entry-statement').count()).toBe(0);
      await page.close();
    },
    SLOW,
  );

  it(
    'pages through the entries from the log page and opens one',
    async () => {
      const { page, errors } = await openAt('/', 1400);
      await page.locator('header nav a', { hasText: 'Log' }).click();
      await page.getByRole('link', { name: 'browse them' }).click();
      await page.locator('#log-entries tr[data-entry]').first().waitFor();
      expect(await page.locator('#log-entries tr[data-entry]').count()).toBe(Math.min(32, logSize));
      // Every entry, statements and the Sigstore entries beside them, not only the statements.
      expect(await page.locator('#log-entries').textContent()).toContain('agreement');
      if (logSize > 32) {
        await page.locator('#entries-next').click();
        await page.locator('#log-entries tr[data-entry="32"]').waitFor();
        expect(await page.locator('#log-entries tr[data-entry]').count()).toBe(logSize - 32);
      }
      const last = page.locator('#log-entries tr[data-entry] a.log-link').last();
      const index = (await last.textContent()) ?? '';
      await last.click();
      await page.getByRole('heading', { name: `Log entry ${index}` }).waitFor();
      expect((await entryVerdict(page)).verified).toBe('true');
      expect(errors).toEqual([]);
      await page.close();
    },
    SLOW,
  );
});

describe('vendor and device pages', () => {
  it(
    'link each release row to its SBOM and MUD blobs, whose bytes have those digests',
    async () => {
      const { page, errors } = await openAt('/', 1400);
      await page.locator('a[href="#/vendors/acme-networks"]').first().click();
      await page.locator('tr[data-release]').first().waitFor();
      const links = page.locator('tr[data-release] a.blob-link');
      expect(await links.count()).toBe(2);
      for (const href of await attributes(links, 'href')) {
        const digest = (href ?? '').replace('v1/blobs/', '');
        const response = await fetch(`${demo.url}/${href ?? ''}`);
        expect(response.status, href ?? '').toBe(200);
        const bytes = Buffer.from(await response.arrayBuffer());
        expect(`sha256:${createHash('sha256').update(bytes).digest('hex')}`).toBe(digest);
      }
      expect(await page.locator('tr[data-release] a.log-link').count()).toBe(1);
      expect(errors).toEqual([]);
      await page.close();
    },
    SLOW,
  );

  it(
    "give each clause its true status: the canary's next due date follows the clause's interval",
    async () => {
      const { page } = await openAt('/vendors/acme-networks', 1400);
      await page.locator('tr[data-clause]').first().waitFor();
      const text = (await page.locator('table.clauses').textContent()) ?? '';
      expect(text).not.toContain('no SBOMs were matched');
      // The latest Acme canary is of 2026-05-28; the clause asks for one every 30 days.
      expect(
        await page.locator('[data-clause="canary-every"] .canary-due').getAttribute('data-due'),
      ).toBe('2026-06-27');
      const statuses = await attributes(
        page.locator('tr[data-clause] [data-status]'),
        'data-status',
      );
      for (const status of statuses)
        expect(['kept', 'broken', 'pending', 'not-checked']).toContain(status);
      expect(statuses).not.toContain('not-checked');
      await page.close();
    },
    SLOW,
  );

  it(
    "link a device's release to its log entry and its SBOM and MUD blobs",
    async () => {
      const { page } = await openAt('/', 1400);
      await page.locator(`a[href="#/devices/${deviceWithRelease}"]`).first().click();
      await page.getByRole('heading', { name: `Device ${deviceWithRelease}` }).waitFor();
      expect(await page.locator('main dl a.blob-link').count()).toBe(2);
      await page.locator('main dl a.log-link').first().click();
      expect((await entryVerdict(page)).verified).toBe('true');
      await page.close();
    },
    SLOW,
  );
});

describe('every new page', () => {
  for (const width of [1400, 390]) {
    it(
      `at ${String(width)} px: no sideways scroll, no serious axe violation`,
      async () => {
        for (const route of [
          '/log/entries',
          '/log/entry/0',
          `/log/entry/${String(logSize - 1)}`,
          '/vendors/acme-networks',
          `/devices/${deviceWithRelease}`,
        ]) {
          const { page, errors } = await openAt(route, width);
          if (route.startsWith('/log/entry/')) await entryVerdict(page);
          expect(await scrollsSideways(page), `${route} scrolls sideways`).toBe(false);
          expect(await seriousViolations(page), route).toEqual([]);
          expect(errors, route).toEqual([]);
          await page.close();
        }
      },
      SLOW,
    );
  }
});
