/**
 * The log page's in-browser proof check (Debian's chromium driven by playwright-core) on a log of
 * 300 entries, so that proofs cross a full data tile and a partial one, with a verifier key whose
 * base64 holds a '+'. The pages over the demo world are in `dashboard.test.ts`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLog, type OpenLog } from '../src/log/open-log.js';
import { DASHBOARD_DIR } from '../src/server/dashboard.js';
import { createServer, type LogServer } from '../src/server/server.js';
import { generateNoteKey } from '../src/tlog/note-key.js';
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
