/**
 * The dashboard in a real browser (Debian's chromium driven by playwright-core) against a real
 * server on port 0: a real log with real entries, the read API over a hand-built report, the
 * built dashboard (`npm run build:web`). Every page renders without console errors, shows the
 * expected findings, and the log page verifies an inclusion proof with WebCrypto.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLog, type OpenLog } from '../src/log/open-log.js';
import { DASHBOARD_DIR } from '../src/server/dashboard.js';
import { createServer, type LogServer } from '../src/server/server.js';
import { generateNoteKey } from '../src/tlog/note-key.js';
import { FixedView, SNAPSHOT } from '../test/server-api/product-view.js';

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

/** A log key whose base64 public key holds a '+', the separator of the verifier key's fields. */
function keyWithPlus(): ReturnType<typeof generateNoteKey> {
  for (let attempt = 0; attempt < 1000; attempt += 1) {
    const key = generateNoteKey('log.example/e2e');
    if (key.vkey.split('+').length > 3) return key;
  }
  throw new Error('no key with a + in 1000 attempts');
}

let dir: string;
let log: OpenLog;
let app: LogServer;
let url: string;
let browser: BrowserContext | undefined;
let vkey: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'nospy-e2e-'));
  const key = keyWithPlus();
  vkey = key.vkey;
  log = await openLog({ dataDir: join(dir, 'log'), signer: key });
  // 300 entries: the proofs cross a full data tile and a partial one.
  await Promise.all(
    Array.from({ length: 300 }, (_, i) =>
      log.sequencer.add(new TextEncoder().encode(`entry ${i}\n`)),
    ),
  );
  const published = log.sequencer.published;
  app = createServer({
    log: log.sequencer,
    store: log.store,
    logger: pino({ level: 'silent' }),
    product: new FixedView({
      ...SNAPSHOT,
      log: {
        origin: key.name,
        size: published.size,
        checkpoint: published.note,
        verifierKey: key.vkey,
      },
    }),
    dashboard: DASHBOARD_DIR,
    onClose: () => log.close(),
  });
  url = await app.listen({ port: 0, host: '127.0.0.1' });
  // A fresh profile per run (playwright passes it as --user-data-dir).
  browser = await chromium.launchPersistentContext(join(dir, 'chromium'), {
    executablePath: '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
});

afterAll(async () => {
  await browser?.close();
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Opens a dashboard route and collects console errors and page errors while it is open. */
async function open(route: string): Promise<{ page: Page; errors: string[] }> {
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

describe('the dashboard pages', () => {
  it('shows the overview: counts, the findings chart, vendors and the findings', async () => {
    const { page, errors } = await open('/');
    await page.getByText('cam-1 sent 12 flows to 203.0.113.9:443').waitFor();
    expect(await page.locator('.chart canvas').count()).toBeGreaterThan(0);
    expect(await page.getByRole('link', { name: 'Acme Networks' }).count()).toBe(1);
    expect(await page.locator('tr[data-finding]').count()).toBe(3);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows a device: release, firmware verdict, traffic verdicts and grants', async () => {
    const { page, errors } = await open('/devices/cam-1');
    await page.getByRole('heading', { name: 'Device cam-1' }).waitFor();
    expect(await page.getByText('1.2.0 (log entry 4)').count()).toBe(1);
    expect(await page.locator('td.bad', { hasText: 'undeclared' }).count()).toBe(1);
    expect(await page.getByText('acme-support: ssh until 2026-12-01').count()).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows a vendor: each agreement clause with its status', async () => {
    const { page, errors } = await open('/vendors/acme');
    await page.getByRole('heading', { name: 'Acme Networks' }).waitFor();
    const broken = page.locator('tr', { hasText: 'no-undeclared-destinations' });
    expect(await broken.locator('td.bad').textContent()).toBe('broken');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows compliance: the share over the cap, deadlines and the plan', async () => {
    const { page, errors } = await open('/compliance');
    await page.getByRole('heading', { name: 'eu-5g-toolbox' }).waitFor();
    expect(await page.locator('.share .fill.over').count()).toBe(1);
    expect(await page.getByText('replace globex core switch').count()).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('the log page', () => {
  it.each([0, 255, 256, 299])(
    'verifies the inclusion of entry %i in the browser, step by step',
    async (index) => {
      const { page, errors } = await open('/log');
      await page.locator('#verify-index').fill(String(index));
      await page.locator('#verify').click();
      await page.locator('#verdict', { hasText: /VERIFIED/ }).waitFor();
      expect(await page.locator('#verdict').textContent()).toBe('VERIFIED');
      expect(await page.locator('.steps li.ok').count()).toBe(6);
      expect(errors).toEqual([]);
      await page.close();
    },
  );

  describe('when the verifier key is not the log key', () => {
    it('reports NOT VERIFIED at the signature step', async () => {
      const { page } = await open('/log');
      const other = generateNoteKey('log.example/e2e').vkey;
      expect(other).not.toBe(vkey);
      await page.locator('#verify-key').fill(other);
      await page.locator('#verify').click();
      await page.locator('#verdict', { hasText: /VERIFIED/ }).waitFor();
      expect(await page.locator('#verdict').textContent()).toContain('NOT VERIFIED');
      await page.close();
    });
  });
});
