import { join } from 'node:path';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openLog } from '../../src/log/open-log.js';
import { sqliteWatermarkStore } from '../../src/log/store-audit/sqlite-watermark.js';
import { StoreAuditor } from '../../src/log/store-audit/store-auditor.js';
import { signWatermark } from '../../src/log/store-audit/watermark.js';
import { WriteGate } from '../../src/log/store-audit/write-gate.js';
import type { LogSource } from '../../src/log/verify/log-source.js';
import { SqliteLogSource } from '../../src/log/verify/sqlite-log-source.js';
import { createServer } from '../../src/server/server.js';
import { generateNoteKey } from '../../src/tlog/note-key.js';
import { add, tempDir, TOKEN } from './helpers.js';

const key = generateNoteKey('log.example/audited');
const SIZE = 600;

let temp: ReturnType<typeof tempDir>;
beforeEach(async () => {
  temp = tempDir('nospy-store-audit-');
  const log = await openLog({ dataDir: temp.dir, signer: key });
  await Promise.all(
    Array.from({ length: SIZE }, (_, i) => log.sequencer.add(Buffer.from(`entry ${i}`))),
  );
  await log.close();
});
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  temp.remove();
});

/** A log server over the data directory, its writes behind a gate, and its auditor. */
async function serve(options: { openSource?: () => LogSource; fullAuditEveryMs?: number } = {}) {
  const gate = new WriteGate('audit');
  const log = await openLog({ dataDir: temp.dir, signer: key, writeGate: gate });
  const watermarks = sqliteWatermarkStore(temp.dir);
  const auditor = new StoreAuditor({
    dataDir: temp.dir,
    signer: key,
    gate,
    watermarks,
    logger: pino({ level: 'silent' }),
    fullAuditEveryMs: options.fullAuditEveryMs ?? 0,
    openSource: options.openSource,
  });
  const app = createServer({
    log: log.sequencer,
    store: log.store,
    logger: pino({ level: 'silent' }),
    submitToken: TOKEN,
    onClose: async () => {
      await auditor.stop();
      watermarks.close();
      await log.close();
    },
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  closers.push(() => app.close());
  return { url, auditor, gate };
}

async function readyz(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${url}/readyz`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Changes entry `index` in the database, as damage or an attacker would. */
function corrupt(index: number): void {
  const db = new Database(join(temp.dir, 'nospy.db'));
  db.prepare('UPDATE log_entries SET data = ? WHERE idx = ?').run(Buffer.from('forged'), index);
  db.close();
}

describe('a log server auditing its store', () => {
  describe('while the start-up audit runs', () => {
    it('answers /readyz 503 with its progress and refuses writes, then takes them', async () => {
      let release!: () => void;
      const paused = new Promise<void>((resolve) => (release = resolve));
      let reads = 0;
      const { url, auditor } = await serve({
        // The real source, held after its first bundle so the audit is seen mid-way.
        openSource: () => {
          const source = new SqliteLogSource(temp.dir);
          const readEntries = source.readEntries.bind(source);
          source.readEntries = async (index, width) => {
            if (reads++ === 1) await paused;
            return readEntries(index, width);
          };
          return source;
        },
      });
      const started = auditor.start();
      for (let i = 0; (await readyz(url)).body.audit === undefined || reads < 2; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(await readyz(url)).toEqual({
        status: 503,
        body: { status: 'auditing', size: SIZE, audit: { entries: 256, total: SIZE } },
      });
      const refused = await add(url, 'too early');
      expect(refused.status).toBe(503);
      expect(await refused.json()).toMatchObject({ error: { code: 'LOG_AUDITING' } });
      release();
      expect(await started).toMatchObject({ ok: true, scope: 'full', entries: SIZE });
      expect((await readyz(url)).status).toBe(200);
      expect((await add(url, 'now')).status).toBe(200);
    });
  });

  describe('when the start-up audit finds an entry changed', () => {
    it('never opens for writes, naming the entry in /readyz, and still serves reads', async () => {
      corrupt(5);
      const { url, auditor } = await serve();
      const outcome = await auditor.start();
      expect(outcome).toMatchObject({ ok: false, failed: { part: 'entry', index: 5 } });
      const ready = await readyz(url);
      expect(ready.status).toBe(503);
      expect(ready.body).toMatchObject({
        status: 'refusing-writes',
        failed: { part: 'entry', index: 5 },
        code: 'LOG_READ_ONLY',
      });
      expect(ready.body.reason).toMatch(/entry 5 does not hash to its leaf/);
      const refused = await add(url, 'x');
      expect(refused.status).toBe(503);
      expect(await refused.json()).toMatchObject({ error: { code: 'LOG_READ_ONLY' } });
      expect((await fetch(`${url}/checkpoint`)).status).toBe(200);
    });
  });

  describe('after a full audit signed its watermark', () => {
    it('audits only the entries since on restart', async () => {
      const first = await serve();
      expect(await first.auditor.start()).toMatchObject({ ok: true, scope: 'full', entries: SIZE });
      expect((await add(first.url, 'one more')).status).toBe(200);
      await closers.pop()?.();
      const second = await serve();
      const outcome = await second.auditor.start();
      expect(outcome).toMatchObject({ ok: true, scope: 'since', size: SIZE + 1 });
      expect(outcome.entries).toBeLessThan(256);
    });

    it('misses a damaged old row on restart, which the full background audit then finds', async () => {
      const first = await serve();
      await first.auditor.start();
      await closers.pop()?.();
      corrupt(3);
      const second = await serve();
      expect(await second.auditor.start()).toMatchObject({ ok: true, scope: 'since' });
      expect(await second.auditor.auditNow()).toMatchObject({
        ok: false,
        failed: { part: 'entry', index: 3 },
      });
      expect((await readyz(second.url)).body).toMatchObject({
        status: 'refusing-writes',
        failed: { part: 'entry', index: 3 },
      });
      expect((await add(second.url, 'after the damage')).status).toBe(503);
    });

    it('runs the full audit on its schedule and stops writes when it fails', async () => {
      const running = await serve({ fullAuditEveryMs: 50 });
      await running.auditor.start();
      expect((await add(running.url, 'fine')).status).toBe(200);
      corrupt(100);
      while ((await readyz(running.url)).status === 200) {
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      expect((await readyz(running.url)).body).toMatchObject({
        status: 'refusing-writes',
        failed: { part: 'entry', index: 100 },
      });
    });

    it('audits everything again when the watermark does not verify', async () => {
      const first = await serve();
      await first.auditor.start();
      await closers.pop()?.();
      const db = new Database(join(temp.dir, 'nospy.db'));
      db.prepare("UPDATE log_audit_watermark SET note = replace(note, '\n600\n', '\n601\n')").run();
      db.close();
      const second = await serve();
      expect(await second.auditor.start()).toMatchObject({
        ok: true,
        scope: 'full',
        entries: SIZE,
      });
    });

    it('refuses a store whose tree below the watermark no longer gives the watermark root', async () => {
      const first = await serve();
      await first.auditor.start();
      await closers.pop()?.();
      const watermarks = sqliteWatermarkStore(temp.dir);
      watermarks.write(
        signWatermark(
          { origin: key.name, size: 599, rootHash: Buffer.alloc(32, 1), fullAuditAt: 0 },
          key,
        ),
      );
      watermarks.close();
      const second = await serve();
      const outcome = await second.auditor.start();
      expect(outcome).toMatchObject({ ok: false, failed: { part: 'root' } });
      expect(outcome.message).toMatch(/the tree below that size was changed/);
    });
  });
});
