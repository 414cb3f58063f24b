/**
 * The dashboard in a real browser (Debian's chromium driven by playwright-core) against the demo
 * world (`nospy demo init` in a temporary directory) served as `nospy serve` serves it: the check
 * engine's real report, the built dashboard (`npm run build:web`). Every page loads without
 * console errors and shows the findings the report holds, and the log page verifies an inclusion
 * proof of a logged statement with WebCrypto against the demo's trust file. Expectations come from the API, not fixed counts,
 * so the demo world can grow.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../src/check/finding.js';
import { startDemoServer, type DemoServer } from '../test/helpers/demo-server.js';
import { requireTools } from '../test/helpers/require-tools.js';
import { launchChromium, openRoute } from './browser.js';

interface Vendor {
  id: string;
  name: string;
  agreement?: number;
  agreementDetail?: { clauses: { id: string; status: string; findings: string[] }[] };
  canary: { status: string }[];
}
interface Release {
  digest: string;
  reproducibility: {
    status: string;
    attestations: {
      evaluator: string;
      verdict: string;
      differences?: { path: string; change: string }[];
    }[];
  };
}
interface Pack {
  pack: string;
  findings: Finding[];
  domains: { shares: { overCap: boolean }[] }[];
  plan: unknown[];
}

let demo: DemoServer;
let browser: BrowserContext | undefined;
let findings: Finding[];

async function api<T>(path: string): Promise<T> {
  const response = await fetch(`${demo.url}${path}`);
  if (!response.ok) throw new Error(`${path}: HTTP ${String(response.status)}`);
  return (await response.json()) as T;
}

const open = (route: string) => openRoute(browser, demo.url, route);
/** Tests that open one page per device, vendor or entry: the machine may be shared and slow. */
const MANY_PAGES = 180_000;

const haveChromium = requireTools('chromium');

beforeAll(async () => {
  if (!haveChromium) return;
  demo = await startDemoServer();
  findings = (await api<{ findings: Finding[] }>('/v1/findings')).findings;
  browser = await launchChromium(demo.dir);
}, 120_000);

afterAll(async () => {
  if (!haveChromium) return;
  await browser?.close();
  await demo.close();
});

describe('the overview of the demo world', () => {
  it('shows every finding, the findings chart and each vendor with its agreement', async () => {
    expect(findings.length).toBeGreaterThan(0);
    const { page, errors } = await open('/');
    await page.locator('tr[data-finding]').first().waitFor();
    for (const f of findings) {
      expect(await page.locator(`tr[data-finding="${f.id}"]`).count(), f.id).toBe(1);
    }
    expect(await page.locator('.chart svg rect.bar').count()).toBeGreaterThan(0);
    const { vendors } = await api<{ vendors: Vendor[] }>('/v1/vendors');
    const table = page.locator('table', {
      has: page.locator('caption', { hasText: 'Vendors and their agreements' }),
    });
    for (const v of vendors) {
      const row = table.locator('tr', {
        has: page.getByRole('link', { name: v.name, exact: true }),
      });
      const text = await row.first().textContent();
      if (v.agreement === undefined) expect(text).toContain('none logged');
      else expect(text).toContain(`entry ${String(v.agreement)}`);
    }
    expect(vendors.some((v) => v.agreement !== undefined)).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('the device pages', () => {
  it(
    'load for every device without console errors, showing each device finding',
    async () => {
      const { devices } = await api<{ devices: { id: string }[] }>('/v1/devices');
      expect(devices.length).toBeGreaterThan(0);
      for (const d of devices) {
        const { page, errors } = await open(`/devices/${d.id}`);
        await page.getByRole('heading', { name: `Device ${d.id}` }).waitFor();
        const own = (await api<{ findingList: Finding[] }>(`/v1/devices/${d.id}`)).findingList;
        for (const f of own) {
          expect(await page.locator(`tr[data-finding="${f.id}"]`).count(), f.id).toBe(1);
        }
        expect(errors, d.id).toEqual([]);
        await page.close();
      }
    },
    MANY_PAGES,
  );

  it(
    'shows each traffic finding as a verdict with its finding, beside the allowed flows',
    async () => {
      const traffic = findings.filter(
        (f) => f.kind === 'undeclared-traffic' || f.kind === 'unapproved-access',
      );
      expect(traffic.length).toBeGreaterThan(0);
      for (const f of traffic) {
        const { page, errors } = await open(`/devices/${f.subject.device ?? ''}`);
        const verdict = f.kind === 'undeclared-traffic' ? 'undeclared' : 'unapproved-access';
        const row = page.locator(`tr[data-verdict="${verdict}"]`, { hasText: f.id });
        await row.waitFor();
        expect(await row.locator('td.bad').textContent()).toBe(verdict);
        expect(await page.locator('.traffic-bar .violations').textContent()).toMatch(
          /in violation/,
        );
        expect(errors).toEqual([]);
        await page.close();
      }
    },
    MANY_PAGES,
  );
});

describe('the vendor pages', () => {
  it(
    'show each agreement clause with its status and the findings breaking it',
    async () => {
      const { vendors } = await api<{ vendors: Vendor[] }>('/v1/vendors');
      for (const summary of vendors) {
        const v = await api<Vendor>(`/v1/vendors/${summary.id}`);
        const { page, errors } = await open(`/vendors/${v.id}`);
        await page.getByRole('heading', { name: v.name, exact: true }).waitFor();
        for (const c of v.agreementDetail?.clauses ?? []) {
          const row = page.locator(`tr[data-clause="${c.id}"]`);
          expect(await row.locator('td').nth(1).textContent(), c.id).toBe(c.status);
          for (const id of c.findings) expect(await row.textContent()).toContain(id);
        }
        expect(errors, v.id).toEqual([]);
        await page.close();
      }
    },
    MANY_PAGES,
  );

  it(
    'show each release with its reproducibility and every rebuild attestation',
    async () => {
      const { vendors } = await api<{ vendors: Vendor[] }>('/v1/vendors');
      let attestations = 0;
      for (const summary of vendors) {
        const v = await api<{ releaseList: Release[] }>(`/v1/vendors/${summary.id}`);
        const { page, errors } = await open(`/vendors/${summary.id}`);
        await page.getByRole('heading', { name: 'Rebuilds from source' }).waitFor();
        for (const r of v.releaseList) {
          const cell = page.locator(`tr[data-release="${r.digest}"] td[data-reproducibility]`);
          expect(await cell.getAttribute('data-reproducibility'), r.digest).toBe(
            r.reproducibility.status,
          );
          for (const a of r.reproducibility.attestations) {
            attestations++;
            const item = page.locator(`li[data-attestation="${a.verdict}"]`, {
              hasText: a.evaluator,
            });
            expect(await item.count(), a.evaluator).toBeGreaterThan(0);
            for (const d of (a.differences ?? []).filter((x) => x.change !== 'metadata'))
              expect(await item.first().textContent()).toContain(d.path);
          }
        }
        expect(errors, summary.id).toEqual([]);
        await page.close();
      }
      expect(attestations).toBeGreaterThan(0);
    },
    MANY_PAGES,
  );

  it(
    'show the canary history with every lapse the report found',
    async () => {
      const lapsed = findings.filter((f) => f.kind === 'canary-lapsed');
      expect(lapsed.length).toBeGreaterThan(0);
      const { vendors } = await api<{ vendors: Vendor[] }>('/v1/vendors');
      for (const v of vendors.filter((x) => x.agreement !== undefined)) {
        const detail = await api<Vendor>(`/v1/vendors/${v.id}`);
        const { page, errors } = await open(`/vendors/${v.id}`);
        await page.getByRole('heading', { name: 'Canary history' }).waitFor();
        const own = lapsed.filter((f) => f.subject.vendor === v.name);
        const shown = page.locator('[data-canary="lapsed"]');
        if (detail.canary.length > 0) await page.locator('.canary-axis').waitFor();
        expect(await shown.count()).toBe(own.length);
        for (const f of own) expect(await page.locator('ul.canary').textContent()).toContain(f.id);
        expect(await page.locator('[data-canary="fresh"]').count()).toBe(
          detail.canary.filter((c) => c.status === 'fresh').length,
        );
        expect(await page.locator('.canary-axis .lapse').count()).toBe(own.length);
        expect(errors).toEqual([]);
        await page.close();
      }
    },
    MANY_PAGES,
  );
});

describe('the compliance page', () => {
  it('shows each pack with its findings, shares over caps and the remediation plan', async () => {
    const { packs } = await api<{ packs: Pack[] }>('/v1/compliance');
    expect(packs.length).toBeGreaterThan(0);
    const { page, errors } = await open('/compliance');
    for (const p of packs) {
      await page.getByRole('heading', { name: p.pack, exact: true }).waitFor();
      const section = page.locator('section.pack', {
        has: page.getByRole('heading', { name: p.pack, exact: true }),
      });
      for (const f of p.findings) {
        expect(await section.locator(`tr[data-finding="${f.id}"]`).count(), f.id).toBe(1);
      }
      const over = p.domains.flatMap((d) => d.shares).filter((s) => s.overCap).length;
      expect(await section.locator('.share .fill.over').count()).toBe(over);
      expect(await section.locator('ol.plan li').count()).toBe(p.plan.length);
    }
    expect(
      findings
        .filter((f) => f.kind === 'policy-violation')
        .every((f) => packs.some((p) => p.findings.some((x) => x.id === f.id))),
    ).toBe(true);
    expect(await page.locator('.share .fill.over').count()).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('the log page of the demo world', () => {
  it(
    'verifies the inclusion of each statement a finding cites, in the browser',
    async () => {
      const cited = [
        ...new Set(
          findings.flatMap((f) =>
            f.evidence.flatMap((e) => (e.type === 'statement' ? [e.index] : [])),
          ),
        ),
      ];
      expect(cited.length).toBeGreaterThan(0);
      const trustText = readFileSync(join(demo.dir, 'data', 'trust.yaml'), 'utf8');
      for (const index of cited) {
        // A fresh page per entry: the verdict of one run must not be read as the next one's.
        const { page, errors } = await open('/log');
        await page.locator('#checkpoint').waitFor();
        // The demo's trust file, kept in the browser: the check does not lean on the server.
        await page.locator('#trust-text').fill(trustText);
        await page.locator('#trust-use').click();
        await page.locator('#trust-summary').waitFor();
        await page.locator('#verify-index').fill(String(index));
        await page.locator('#verify').click();
        await page.locator('#verdict[data-verified]').waitFor();
        expect(await page.locator('#verdict').textContent(), String(index)).toMatch(
          new RegExp(`^VERIFIED independently: entry ${String(index)} `),
        );
        expect(await page.locator('.steps li.bad').count()).toBe(0);
        expect(await page.locator('.steps li').nth(1).textContent()).toContain(
          `index ${String(index)}`,
        );
        expect(errors).toEqual([]);
        await page.close();
      }
    },
    MANY_PAGES,
  );
});
