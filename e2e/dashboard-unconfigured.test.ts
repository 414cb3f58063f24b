/**
 * A server whose config has no `check:` judged nothing: the overview must say so, never show "No
 * findings." as if everything had been checked and passed.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load.js';
import { openLog, type OpenLog } from '../src/log/open-log.js';
import { engineSnapshotSource, publishedLogState } from '../src/server/api/report-snapshot.js';
import { DASHBOARD_DIR, hasDashboard } from '../src/server/dashboard.js';
import { createServer, type LogServer } from '../src/server/server.js';
import { generateNoteKey } from '../src/tlog/note-key.js';
import { requireTools } from '../test/helpers/require-tools.js';
import { seriousViolations } from './axe.js';
import { launchChromium, openRoute } from './browser.js';

const haveChromium = requireTools('chromium');
let dir: string;
let log: OpenLog;
let app: LogServer;
let url: string;
let browser: BrowserContext | undefined;

beforeAll(async () => {
  if (!haveChromium) return;
  dir = mkdtempSync(join(tmpdir(), 'nospy-unconfigured-'));
  writeFileSync(join(dir, 'nospy.yaml'), 'data: data\n');
  const loaded = loadConfig({ file: join(dir, 'nospy.yaml'), env: {}, cwd: dir });
  const signer = generateNoteKey('log.example/unconfigured');
  log = await openLog({ dataDir: join(dir, 'data'), signer });
  app = createServer({
    log: log.sequencer,
    store: log.store,
    logger: pino({ level: 'silent' }),
    snapshots: engineSnapshotSource(loaded, publishedLogState(log.sequencer, signer)),
    dashboard: hasDashboard(DASHBOARD_DIR) ? DASHBOARD_DIR : undefined,
    onClose: () => log.close(),
  });
  url = await app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launchChromium(dir);
}, 120_000);

afterAll(async () => {
  if (!haveChromium) return;
  await browser?.close();
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the overview of a server with no check configured', () => {
  it('says no check has run and what to configure, never "No findings."', async () => {
    const { page, errors } = await openRoute(browser, url, '/');
    await page.locator('#nothing-checked').waitFor();
    const text = await page.locator('main').innerText();
    expect(text).toContain('No check has run');
    expect(text).toContain('check:');
    expect(text).not.toContain('No findings');
    expect(await page.locator('tr[data-finding]').count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });
});
