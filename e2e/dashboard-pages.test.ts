/**
 * Every page of the dashboard at a desktop and a phone width, over the demo world served as
 * `nospy serve` serves it: no sideways scroll, no serious or critical axe-core violation, a title
 * per page; the clicks from the overview to a finding, its device, vendor and log entry and its
 * in-browser verification; filters kept in the URL across a reload.
 */
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../src/check/finding.js';
import { startDemoServer, type DemoServer } from '../test/helpers/demo-server.js';
import { requireTools } from '../test/helpers/require-tools.js';
import { seriousViolations, scrollsSideways } from './axe.js';
import { launchChromium, openRoute } from './browser.js';

let demo: DemoServer;
let browser: BrowserContext | undefined;
let findings: Finding[];
let devices: { id: string }[];
let vendors: { id: string }[];

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
  devices = (await api<{ devices: { id: string }[] }>('/v1/devices')).devices;
  vendors = (await api<{ vendors: { id: string }[] }>('/v1/vendors')).vendors;
  browser = await launchChromium(demo.dir);
}, 120_000);

afterAll(async () => {
  if (!haveChromium) return;
  await browser?.close();
  await demo.close();
});

/** Opens a route at a width and waits for its first heading. */
async function openAt(
  route: string,
  width: number,
  colorScheme: 'light' | 'dark' = 'light',
): Promise<{ page: Page; errors: string[] }> {
  const opened = await openRoute(browser, demo.url, route);
  await opened.page.emulateMedia({ colorScheme });
  await opened.page.setViewportSize({ width, height: 900 });
  await opened.page.locator('main h1').first().waitFor();
  // The page's data has loaded when nothing says "Loading…".
  await opened.page.waitForFunction('!document.body.innerText.includes("Loading…")');
  return opened;
}

function routes(): [string, string][] {
  const finding = findings.find((f) => f.evidence.some((e) => e.type === 'statement'));
  return [
    ['overview', '/'],
    ['finding', `/finding/${encodeURIComponent(finding?.id ?? '')}`],
    ['device', `/devices/${devices[0]?.id ?? ''}`],
    ['vendor', `/vendors/${vendors[0]?.id ?? ''}`],
    ['log', '/log'],
    ['log entries', '/log/entries'],
    ['log entry', '/log/entry/0'],
    ['compliance', '/compliance'],
    ['not found', '/no/such/page'],
  ];
}

describe('every page', () => {
  for (const [width, scheme] of [
    [1400, 'light'],
    [390, 'light'],
    [1400, 'dark'],
  ] as const) {
    it(
      `at ${String(width)} px in the ${scheme} theme: no sideways scroll, no serious axe violation, its own title`,
      async () => {
        const titles = new Set<string>();
        for (const [name, route] of routes()) {
          const { page, errors } = await openAt(route, width, scheme);
          expect(await scrollsSideways(page), `${name} scrolls sideways`).toBe(false);
          expect(await seriousViolations(page), name).toEqual([]);
          titles.add(await page.title());
          if (name !== 'not found') expect(errors, name).toEqual([]);
          await page.close();
        }
        expect(titles.size).toBe(routes().length);
      },
      SLOW,
    );
  }

  it('shows "not found" for an unknown route, not the overview', async () => {
    const { page } = await openAt('/no/such/page', 1400);
    expect(await page.locator('h1').textContent()).toBe('Not found');
    await page.close();
  });

  it('does not scroll sideways at 360 px', async () => {
    const { page } = await openAt('/', 360);
    expect(await scrollsSideways(page)).toBe(false);
    await page.close();
  });
});

describe('from the overview', () => {
  it(
    "reaches a finding's page, its device, its vendor and its log entry by clicking",
    async () => {
      const target = findings.find(
        (f) =>
          f.subject.device !== undefined &&
          f.subject.vendor !== undefined &&
          f.evidence.some((e) => e.type === 'statement'),
      );
      expect(target).toBeDefined();
      if (target === undefined) return;
      const { page, errors } = await openAt('/', 1400);
      const findingPage = async () => {
        await page.locator(`tr[data-finding="${target.id}"] a.finding-link`).click();
        await page.locator(`[data-finding-page="${target.id}"]`).waitFor();
      };
      await findingPage();
      expect(await page.locator('#promised').count()).toBe(1);
      await page.locator('a.device-link').first().click();
      await page.getByRole('heading', { name: `Device ${target.subject.device ?? ''}` }).waitFor();
      await page.goBack();
      await page.locator(`[data-finding-page="${target.id}"]`).waitFor();
      await page.locator('a.vendor-link').first().click();
      await page.locator('main h1').waitFor();
      expect(page.url()).toContain('#/vendors/');
      await page.goBack();
      await page.locator(`[data-finding-page="${target.id}"]`).waitFor();
      const entry = await page.locator('a.log-link').first().getAttribute('href');
      await page.locator('a.log-link').first().click();
      await page
        .getByRole('heading', { name: `Log entry ${(entry ?? '').replace('#/log/entry/', '')}` })
        .waitFor();
      expect(errors).toEqual([]);
      await page.close();
    },
    SLOW,
  );

  it(
    "verifies a finding's log entries in the browser against the user's trust file",
    async () => {
      const target = findings.find((f) => f.evidence.some((e) => e.type === 'statement'));
      if (target === undefined) throw new Error('the demo has no finding citing a statement');
      const { page, errors } = await openAt('/', 1400);
      await page.locator(`tr[data-finding="${target.id}"] a.finding-link`).click();
      await page.locator('#verify-finding-button').waitFor();
      await page.locator('summary', { hasText: 'Your keys' }).click();
      await page.locator('#trust-file').setInputFiles(join(demo.dir, 'data', 'trust.yaml'));
      await page.locator('#independence[data-independent="true"]').waitFor();
      await page.locator('#verify-finding-button').click();
      const verdict = page.locator('#finding-verdict[data-verified]');
      await verdict.waitFor({ timeout: 60_000 });
      expect(await verdict.getAttribute('data-verified'), (await verdict.textContent()) ?? '').toBe(
        'true',
      );
      expect(await verdict.textContent()).toContain('VERIFIED independently');
      expect(errors).toEqual([]);
      await page.close();
    },
    SLOW,
  );

  it('keeps a filter chosen on a card across a reload', async () => {
    const severity = findings[0]?.severity ?? 'critical';
    const { page } = await openAt('/', 1400);
    await page.locator(`button[data-severity="${severity}"]`).click();
    await page.waitForURL(`**severity=${severity}**`);
    await page.locator('#findings-count').waitFor();
    await page.reload();
    await page.locator('tr[data-finding]').first().waitFor();
    expect(await page.locator('#filter-severity').inputValue()).toBe(severity);
    const shown = await page.locator('tr[data-finding] .sev').allTextContents();
    expect(shown.length).toBe(findings.filter((f) => f.severity === severity).length);
    expect(new Set(shown)).toEqual(new Set([severity]));
    await page.close();
  });
});
