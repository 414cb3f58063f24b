/**
 * The log page's in-browser proof check (Debian's chromium driven by playwright-core) on a log of
 * 300 entries, so that proofs cross a full data tile and a partial one, with a verifier key whose
 * base64 holds a '+', pasted by the user (raw entries: no statement signatures to check). The
 * pages over the demo world are in `dashboard.test.ts`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLog, type OpenLog } from '../src/log/open-log.js';
import { DASHBOARD_DIR } from '../src/server/dashboard.js';
import { createServer, type LogServer } from '../src/server/server.js';
import { generateNoteKey, keyHandle } from '../src/tlog/note-key.js';
import { requireTools } from '../test/helpers/require-tools.js';
import { FixedSnapshotSource, SNAPSHOT } from '../test/server-api/fixed-snapshot-source.js';
import { launchChromium, openRoute } from './browser.js';

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

const haveChromium = requireTools('chromium');

beforeAll(async () => {
  if (!haveChromium) return;
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
    snapshots: new FixedSnapshotSource({
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
  browser = await launchChromium(dir);
});

afterAll(async () => {
  if (!haveChromium) return;
  await browser?.close();
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

const open = (route: string) => openRoute(browser, url, route);

async function pasteKeys(page: Page, text: string): Promise<void> {
  await page.locator('#trust-text').fill(text);
  await page.locator('#trust-use').click();
  await page.locator('#trust-summary').waitFor();
}

async function verify(page: Page, index: number): Promise<string> {
  await page.locator('#verify-index').fill(String(index));
  await page.locator('#verify').click();
  await page.locator('#verdict[data-verified]').waitFor();
  return (await page.locator('#verdict').textContent()) ?? '';
}

describe('the log page', () => {
  it.each([0, 255, 256, 299])(
    'verifies the inclusion of entry %i in the browser against the pasted log key, step by step',
    async (index) => {
      const { page, errors } = await open('/log');
      await pasteKeys(page, vkey);
      expect(await verify(page, index)).toMatch(
        new RegExp(`^VERIFIED independently: entry ${String(index)} is in the log`),
      );
      expect(await page.locator('.steps li.bad').count()).toBe(0);
      // Keys, proof, checkpoint, log signature, entry, leaf hash, root.
      expect(await page.locator('.steps li.ok').count()).toBe(7);
      expect(await page.locator('.steps li', { hasText: 'not a DSSE envelope' }).count()).toBe(1);
      expect(errors).toEqual([]);
      await page.close();
    },
  );

  describe('with no key of the user', () => {
    it('verifies against the server’s key and says NOT INDEPENDENT', async () => {
      const { page } = await open('/log');
      await page.locator('#trust-forget').click();
      expect(await verify(page, 0)).toMatch(/^VERIFIED, but NOT INDEPENDENT:/);
      await page.close();
    });
  });

  describe('when the verifier key is not the log key', () => {
    it('reports NOT VERIFIED at the signature step, naming the key', async () => {
      const { page } = await open('/log');
      const other = generateNoteKey('log.example/e2e');
      expect(other.vkey).not.toBe(vkey);
      await pasteKeys(page, other.vkey);
      const verdict = await verify(page, 0);
      expect(verdict).toContain('NOT VERIFIED');
      expect(verdict).toContain(keyHandle(other));
      await page.locator('#trust-forget').click();
      await page.close();
    });
  });
});
