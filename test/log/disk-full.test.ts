import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LogStorePort } from '../../src/store/log-store-port.js';
import { SqliteLogStore } from '../../src/store/sqlite/sqlite-log-store.js';
import { storeWriteError } from '../../src/store/sqlite/batch-writer.js';
import { openCheckpoint } from '../../src/tlog/checkpoint.js';
import { add, checkpointOf, startLog, tempDir, type RunningLog } from './helpers.js';

/**
 * The real SQLite store, whose batch writes fail while `full` is set exactly as its writer
 * reports SQLite's SQLITE_FULL (the disk or the page quota is full).
 */
function fillableStore(dir: string): { store: LogStorePort; full: { on: boolean } } {
  const real = new SqliteLogStore(dir);
  const full = { on: false };
  const store = new Proxy(real, {
    get(target, name, receiver) {
      if (name === 'integrate' && full.on) {
        return () =>
          Promise.reject(
            storeWriteError('database or disk is full', 'SQLITE_FULL', join(dir, 'nospy.db')),
          );
      }
      const value: unknown = Reflect.get(target, name, receiver);
      return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
    },
  });
  return { store, full };
}

describe('what SQLite reports when the database cannot grow', () => {
  it('is SQLITE_FULL, which the store writer reports as STORE_FULL', () => {
    const temp = tempDir();
    try {
      const db = new Database(join(temp.dir, 'quota.db'));
      db.exec('CREATE TABLE t (x BLOB)');
      db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
      let code: unknown;
      try {
        db.prepare('INSERT INTO t VALUES (?)').run(Buffer.alloc(64 * 1024));
      } catch (error) {
        code = (error as { code?: unknown }).code;
      }
      db.close();
      expect(code).toBe('SQLITE_FULL');
      expect(storeWriteError('database or disk is full', 'SQLITE_FULL', 'x').code).toBe(
        'STORE_FULL',
      );
      expect(storeWriteError('disk I/O error', 'SQLITE_IOERR', 'x').code).toBe('STORE_IO');
    } finally {
      temp.remove();
    }
  });
});

describe('when the disk is full', () => {
  let temp: ReturnType<typeof tempDir>;
  let server: RunningLog;
  let full: { on: boolean };

  beforeEach(async () => {
    temp = tempDir();
    const fillable = fillableStore(temp.dir);
    full = fillable.full;
    // A window far longer than the test: readiness returns only through a successful write.
    server = await startLog({ dir: temp.dir, store: fillable.store, storeFullRetryMs: 600_000 });
  });
  afterEach(async () => {
    await server.close();
    temp.remove();
  });

  it('answers appends 503 STORE_FULL with Retry-After, and /readyz 503 until a write succeeds', async () => {
    expect((await add(server.url, 'before')).status).toBe(200);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);

    full.on = true;
    const refused = await add(server.url, 'while full');
    expect(refused.status).toBe(503);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    const body = (await refused.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('STORE_FULL');
    expect(body.error.message).not.toContain(temp.dir);
    const notReady = await fetch(`${server.url}/readyz`);
    expect(notReady.status).toBe(503);
    expect(Number(notReady.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await notReady.json()) as { status: string }).status).toBe('store-full');
    // Reads go on.
    expect((await fetch(`${server.url}/checkpoint`)).status).toBe(200);

    full.on = false;
    const retried = await add(server.url, 'while full');
    expect(retried.status).toBe(200);
    expect(((await retried.json()) as { index: number }).index).toBe(1);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    const { checkpoint } = openCheckpoint(await checkpointOf(server.url), server.key);
    expect(checkpoint.size).toBe(2);
  });
});
