import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { openLog, type OpenLog } from '../../src/log/open-log.js';
import { engineSnapshotSource, publishedLogState } from '../../src/server/api/report-snapshot.js';
import { createServer, type LogServer } from '../../src/server/server.js';
import { generateNoteKey } from '../../src/tlog/note-key.js';

const signer = generateNoteKey('log.example/not-configured');
let dir: string;
let log: OpenLog;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'nospy-not-configured-'));
  log = await openLog({ dataDir: join(dir, 'data'), signer });
});
afterAll(async () => {
  await log.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A read API over the engine's report of the configuration found from `cwd` (and `file`). */
function serverOf(options: { cwd: string; file?: string }): LogServer {
  const loaded = loadConfig({ env: {}, ...options });
  return createServer({
    log: log.sequencer,
    store: log.store,
    logger: pino({ level: 'silent' }),
    snapshots: engineSnapshotSource(loaded, publishedLogState(log.sequencer, signer)),
  });
}

async function summary(app: LogServer): Promise<Record<string, unknown>> {
  const response = await app.inject({ method: 'GET', url: '/v1/summary' });
  expect(response.statusCode).toBe(200);
  return response.json();
}

describe('a server started without a check configuration', () => {
  it('says "checked": false and why in /v1/summary, never an empty all-clear', async () => {
    // No nospy.yaml in this working directory, no --config.
    const app = serverOf({ cwd: join(dir, 'data') });
    const body = await summary(app);
    expect(body.checked).toBe(false);
    expect(body.reason).toMatch(/^not configured: no configuration file .* --config <file>/);
    await app.close();
  });

  it('says so naming the file when the file has no check: section', async () => {
    const file = join(dir, 'empty.yaml');
    writeFileSync(file, 'log:\n  batchEntries: 10\n');
    const app = serverOf({ cwd: dir, file });
    const body = await summary(app);
    expect(body.checked).toBe(false);
    expect(body.reason).toBe(
      `not configured: ${file} has no check: section naming the log, inventory, flows, firmware, SBOMs or rule packs to check`,
    );
    await app.close();
  });
});

describe('a server started with --config naming what to check', () => {
  it('says "checked": true', async () => {
    const file = join(dir, 'nospy.yaml');
    writeFileSync(file, 'check:\n  flows: []\n  sboms: []\n  devices: devices.yaml\n');
    writeFileSync(join(dir, 'devices.yaml'), 'devices: []\n');
    const app = serverOf({ cwd: join(dir, 'data'), file });
    const response = await app.inject({ method: 'GET', url: '/v1/summary' });
    const body: Record<string, unknown> = response.json();
    expect(body.checked).toBe(true);
    await app.close();
  });
});
