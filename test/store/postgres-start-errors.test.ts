/**
 * Every PostgreSQL store refuses a database it cannot use at start, with the error that names
 * what is wrong — the log store's own cases are in postgres-cli.test.ts through `nospy log add`;
 * here the finding, traffic and witness stores, and the commands that open them: `nospy traffic
 * worker`, `nospy log verify` and `nospy store copy`, each exit 2.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PostgresFindingStore } from '../../src/store/postgres/postgres-finding-store.js';
import { PostgresWitnessStore } from '../../src/store/postgres/postgres-witness-store.js';
import { SCHEMA_VERSION } from '../../src/store/postgres/migrations.js';
import { PostgresTrafficStore } from '../../src/traffic/postgres-traffic-store.js';
import { CONTEXT_YAML, mudJson } from '../../src/mud/test-support.js';
import { generateNoteKey } from '../../src/tlog/note-key.js';
import { tempDir } from '../log/helpers.js';
import {
  createTestDatabase,
  POSTGRES_ADMIN_URL,
  queryDatabase,
  type TestDatabase,
} from '../helpers/postgres.js';
import { requireTools } from '../helpers/require-tools.js';
import { runCli } from '../helpers/run-cli.js';

const UNREACHABLE = 'postgres://root@127.0.0.1:1/nospy';

const stores = {
  finding: (url: string) => PostgresFindingStore.open(url),
  traffic: (url: string) => PostgresTrafficStore.open(url),
  witness: (url: string) => PostgresWitnessStore.open(url),
};

describe('a PostgreSQL store at start', () => {
  requireTools('postgresql');
  let database: TestDatabase;
  beforeEach(async () => {
    database = await createTestDatabase();
  });
  afterEach(async () => {
    await database.drop();
  });

  describe.each(Object.entries(stores))('the %s store', (_name, open) => {
    it('says the server cannot be reached, with STORE_UNREACHABLE', async () => {
      await expect(open(UNREACHABLE)).rejects.toMatchObject({
        code: 'STORE_UNREACHABLE',
        message: expect.stringContaining('cannot be reached') as unknown,
      });
    });

    it('refuses a database at a newer schema version, with STORE_SCHEMA', async () => {
      await (await open(database.url)).close();
      await queryDatabase(
        database.url,
        "INSERT INTO nospy_schema (version, description) VALUES ($1, 'from the future')",
        [SCHEMA_VERSION + 1],
      );
      await expect(open(database.url)).rejects.toMatchObject({
        code: 'STORE_SCHEMA',
        message: expect.stringContaining(`schema version ${SCHEMA_VERSION + 1}`) as unknown,
      });
    });

    it('says the server refused the credentials, with STORE_AUTH, never printing the password', async () => {
      const role = `${database.name}_nologin`;
      await queryDatabase(POSTGRES_ADMIN_URL, `CREATE ROLE "${role}" NOLOGIN`);
      try {
        const url = new URL(database.url);
        url.username = role;
        url.password = 'not-the-password';
        const error = await open(url.toString()).then(
          () => undefined,
          (failure: unknown) => failure as Error & { code: string },
        );
        expect(error?.code).toBe('STORE_AUTH');
        expect(error?.message).toContain('refused the credentials');
        expect(error?.message).not.toContain('not-the-password');
      } finally {
        await queryDatabase(POSTGRES_ADMIN_URL, `DROP ROLE "${role}"`);
      }
    });
  });

  describe('through the commands that open one', () => {
    let temp: ReturnType<typeof tempDir>;
    beforeEach(() => {
      temp = tempDir('nospy-pg-start-');
    });
    afterEach(() => {
      temp.remove();
    });

    it('nospy traffic worker stops with STORE_UNREACHABLE, exit 2, before it consumes anything', async () => {
      writeFileSync(join(temp.dir, 'nospy.yaml'), 'check:\n  devices: devices.yaml\n');
      writeFileSync(join(temp.dir, 'deny.json'), JSON.stringify(mudJson([], [])));
      writeFileSync(join(temp.dir, 'ctx.yaml'), CONTEXT_YAML);
      writeFileSync(
        join(temp.dir, 'devices.yaml'),
        'devices:\n  - { id: dev, mud: deny.json, context: ctx.yaml }\n',
      );
      const result = await runCli(
        ['traffic', 'worker', '--store', UNREACHABLE, '--bus', 'nats://127.0.0.1:1'],
        { cwd: temp.dir, env: {} },
      );
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('STORE_UNREACHABLE');
    });

    it('nospy log verify says the server cannot be reached, and that a database holds no log', async () => {
      const key = generateNoteKey('pg.example/verify');
      const unreachable = await runCli(['log', 'verify', UNREACHABLE, '--log-vkey', key.vkey], {
        cwd: temp.dir,
        env: {},
      });
      expect(unreachable.code).toBe(2);
      expect(unreachable.stderr).toContain('STORE_UNREACHABLE');
      const empty = await runCli(['log', 'verify', database.url, '--log-vkey', key.vkey], {
        cwd: temp.dir,
        env: {},
      });
      expect(empty.code).toBe(2);
      expect(empty.stderr).toContain('holds no log');
    });

    it('nospy store copy says the destination cannot be reached', async () => {
      const key = generateNoteKey('pg.example/copy');
      const result = await runCli(
        ['store', 'copy', '--from', database.url, '--to', UNREACHABLE, '--log-vkey', key.vkey],
        { cwd: temp.dir, env: {} },
      );
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('cannot be reached');
    });
  });
});
