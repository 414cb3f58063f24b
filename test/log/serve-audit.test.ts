/**
 * `nospy serve` on a data directory that was damaged or tampered with while it was stopped: the
 * start-up audit finds it, names the entry or tile, and the server exits rather than sign on top
 * of it — or, with --read-only-recovery, serves reads and refuses every write.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openLog } from '../../src/log/open-log.js';
import { generateNoteKey } from '../../src/tlog/note-key.js';
import { add, tempDir, TOKEN } from './helpers.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin', 'nospy.js');
const key = generateNoteKey('log.example/serve-audit');
const SIZE = 700;

interface Started {
  readonly child: ChildProcess;
  readonly url: string;
  readonly exited: Promise<{ code: number | null; stderr: string }>;
}

/** Starts `nospy serve` and resolves once it printed its URL (it listens before it audits). */
function serve(dir: string, ...extra: string[]): Promise<Started> {
  const child = spawn(
    process.execPath,
    [BIN, 'serve', '--data', dir, '--log-key', join(dir, '..', 'log.key'), '--port', '0', ...extra],
    { env: { ...process.env, NOSPY_SUBMIT_TOKEN: TOKEN }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; stderr: string }>((resolve) =>
    child.on('exit', (code) => {
      resolve({ code, stderr });
    }),
  );
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const url = /^(http:\/\/\S+)\n/m.exec(out)?.[1];
      if (url !== undefined) resolve({ child, url, exited });
    });
    void exited.then(({ code, stderr: err }) => {
      reject(new Error(`nospy serve exited with ${code} before listening: ${err}`));
    });
  });
}

const temps: ReturnType<typeof tempDir>[] = [];
const children: ChildProcess[] = [];

/** A data directory holding a log of SIZE entries, closed cleanly. */
async function logDir(): Promise<string> {
  const temp = tempDir('nospy-serve-audit-');
  temps.push(temp);
  writeFileSync(join(temp.dir, 'log.key'), `${key.skey}\n`, { mode: 0o600 });
  const dir = join(temp.dir, 'data');
  const log = await openLog({ dataDir: dir, signer: key });
  await Promise.all(
    Array.from({ length: SIZE }, (_, i) => log.sequencer.add(Buffer.from(`entry ${i}`))),
  );
  await log.close();
  return dir;
}

function edit(dir: string, sql: string, ...params: unknown[]): void {
  const db = new Database(join(dir, 'nospy.db'));
  db.prepare(sql).run(...params);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

async function readyz(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${url}/readyz`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Polls /readyz until the audit is over (the server answers it all along). */
async function afterAudit(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  for (;;) {
    const ready = await readyz(url);
    if (ready.body.status !== 'auditing' && ready.body.audit === undefined) return ready;
    expect(ready.status).toBe(503);
    expect(ready.body.audit).toEqual({ entries: expect.any(Number), total: expect.any(Number) });
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) {
    throw new Error('build first: npm run build (npm test does it before the tests)');
  }
});
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});
afterAll(() => {
  for (const temp of temps) temp.remove();
});

describe('nospy serve on a damaged or tampered data directory', () => {
  it('takes writes once the audit of an intact store passed', async () => {
    const dir = await logDir();
    const started = await serve(dir);
    children.push(started.child);
    expect(await afterAudit(started.url)).toEqual({
      status: 200,
      body: { status: 'ready', size: SIZE, sequencing: true },
    });
    expect((await add(started.url, 'after the audit')).status).toBe(200);
  });

  it.each([
    {
      damage: 'an old entry changed (one bit)',
      apply: (dir: string) => {
        edit(dir, "UPDATE log_entries SET data = CAST('entrz 5' AS BLOB) WHERE idx = 5");
      },
      named: /entry 5 does not hash to its leaf in tile\/0\/000/,
    },
    {
      damage: 'an entry row deleted',
      apply: (dir: string) => {
        edit(dir, 'DELETE FROM log_entries WHERE idx = 300');
      },
      named: /entry 300 is missing from log_entries/,
    },
    {
      damage: 'a byte of a full tile flipped',
      apply: (dir: string) => {
        const db = new Database(join(dir, 'nospy.db'));
        const tile = db
          .prepare<[], Buffer>('SELECT hashes FROM log_tiles WHERE level = 0 AND idx = 1')
          .pluck()
          .get() as Buffer;
        tile[77] = (tile[77] ?? 0) ^ 1;
        db.prepare('UPDATE log_tiles SET hashes = ? WHERE level = 0 AND idx = 1').run(tile);
        db.close();
      },
      named: /tile tile\/0\/001 does not hash to hash 1 of tile\/1\/000\.p\/2/,
    },
    {
      damage: 'a page of entries in the database file overwritten',
      apply: (dir: string) => {
        edit(dir, 'SELECT 1');
        const file = join(dir, 'nospy.db');
        const bytes = readFileSync(file);
        const page = Math.floor(bytes.indexOf('entry 350') / 4096);
        bytes.fill(0x5a, 4096 * page, 4096 * (page + 1));
        writeFileSync(file, bytes);
      },
      named: /does not hash to its leaf|cannot be read|malformed|does not verify|missing/,
    },
  ])('exits (2) naming what failed when $damage', async ({ apply, named }) => {
    const dir = await logDir();
    apply(dir);
    let started: Started | undefined;
    let exit: { code: number | null; stderr: string };
    try {
      started = await serve(dir);
      children.push(started.child);
      exit = await started.exited;
    } catch (error) {
      // Damage SQLite itself notices can stop the start before the server listens.
      exit = { code: 2, stderr: (error as Error).message };
    }
    expect(exit.code).toBe(2);
    expect(exit.stderr).toMatch(named);
    if (started !== undefined)
      expect(exit.stderr).toMatch(/LOG_STATE_INVALID|--read-only-recovery/);
  });

  describe('with --read-only-recovery', () => {
    it('serves reads, refuses writes, and names the damage in /readyz', async () => {
      const dir = await logDir();
      edit(dir, "UPDATE log_entries SET data = CAST('entrz 5' AS BLOB) WHERE idx = 5");
      const started = await serve(dir, '--read-only-recovery');
      children.push(started.child);
      const ready = await afterAudit(started.url);
      expect(ready.status).toBe(503);
      expect(ready.body).toMatchObject({
        status: 'read-only-recovery',
        failed: { part: 'entry', index: 5 },
      });
      expect(ready.body.reason).toMatch(/entry 5 does not hash to its leaf/);
      expect((await fetch(`${started.url}/checkpoint`)).status).toBe(200);
      const refused = await add(started.url, 'no');
      expect(refused.status).toBe(503);
      expect(await refused.json()).toMatchObject({ error: { code: 'LOG_READ_ONLY' } });
    });
  });
});
