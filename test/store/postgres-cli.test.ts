/**
 * `store.url` through the CLI: a `postgres://` URL puts the log in PostgreSQL (it once silently
 * ran on SQLite in the data directory), and every way a database can be wrong at start is a
 * clear error naming what is wrong, exit 2.
 */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateNoteKey } from '../../src/tlog/note-key.js';
import { MIGRATIONS, SCHEMA_VERSION } from '../../src/store/postgres/migrations.js';
import { runCli } from '../helpers/run-cli.js';
import { requireTools } from '../helpers/require-tools.js';
import {
  createTestDatabase,
  POSTGRES_ADMIN_URL,
  queryDatabase,
  type TestDatabase,
} from '../helpers/postgres.js';
import { tempDir } from '../log/helpers.js';

const key = generateNoteKey('pg.example/log');
const other = generateNoteKey('other.example/log');

describe('a log stored in PostgreSQL', () => {
  requireTools('postgresql');
  let temp: ReturnType<typeof tempDir>;
  let database: TestDatabase;
  let keyFile: string;
  let entryFile: string;

  beforeEach(async () => {
    temp = tempDir('nospy-pg-cli-');
    database = await createTestDatabase();
    keyFile = join(temp.dir, 'log.key');
    writeFileSync(keyFile, `${key.skey}\n`);
    entryFile = join(temp.dir, 'entry.txt');
    writeFileSync(entryFile, 'one entry');
  });
  afterEach(async () => {
    temp.remove();
    await database.drop();
  });

  const add = (store: string, env: Record<string, string> = {}, signer = keyFile) =>
    runCli(['log', 'add', '--log-key', signer, '--json', entryFile], {
      cwd: temp.dir,
      env: { ...env, ...(store === '' ? {} : { NOSPY_STORE_URL: store }) },
    });

  describe('when store.url is a postgres:// URL', () => {
    it('writes the log to the database and nothing to the data directory', async () => {
      const result = await add(database.url);
      expect(result.code, result.stderr).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ size: 1 });
      const rows = await queryDatabase<{ data: Buffer }>(
        database.url,
        'SELECT data FROM log_entries',
      );
      expect(rows.map((row) => row.data.toString())).toEqual(['one entry']);
      expect(existsSync(join(temp.dir, '.nospy'))).toBe(false);
      expect(readdirSync(temp.dir).sort()).toEqual(['entry.txt', 'log.key']);
    });

    it('reads it from DATABASE_URL and from --store alike', async () => {
      expect((await add('', { DATABASE_URL: database.url })).code).toBe(0);
      const flagged = await runCli(
        ['log', 'add', '--store', database.url, '--log-key', keyFile, '--json', entryFile],
        { cwd: temp.dir, env: {} },
      );
      expect(flagged.code, flagged.stderr).toBe(0);
      // The same entry again: de-duplicated against the database, at the index it has.
      expect(JSON.parse(flagged.stdout)).toMatchObject({ size: 1, entries: [{ index: 0 }] });
    });
  });

  describe('nospy store migrate', () => {
    it('applies every migration once, then finds the schema up to date', async () => {
      const first = await runCli(['store', 'migrate', '--store', database.url, '--json'], {
        cwd: temp.dir,
        env: {},
      });
      expect(first.code, first.stderr).toBe(0);
      expect(JSON.parse(first.stdout)).toMatchObject({ from: 0, to: SCHEMA_VERSION });
      const again = await runCli(['store', 'migrate', '--store', database.url], {
        cwd: temp.dir,
        env: {},
      });
      expect(again.stdout).toContain(`schema version ${SCHEMA_VERSION}: up to date`);
      const versions = await queryDatabase<{ version: number }>(
        database.url,
        'SELECT version FROM nospy_schema ORDER BY version',
      );
      // Each branch of the schema owns its numbers, so the list may have gaps until they merge.
      expect(versions.map((v) => v.version)).toEqual(
        MIGRATIONS.map((m) => m.version).sort((a, b) => a - b),
      );
    });

    it('lets a role with only the documented grants serve a migrated database', async () => {
      expect((await runCli(['store', 'migrate', '--store', database.url], { env: {} })).code).toBe(
        0,
      );
      const role = `${database.name}_serve`;
      await queryDatabase(POSTGRES_ADMIN_URL, `CREATE ROLE "${role}" LOGIN`);
      try {
        await queryDatabase(
          database.url,
          `GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO "${role}"`,
        );
        const url = new URL(database.url);
        url.username = role;
        const result = await add(url.toString());
        expect(result.code, result.stderr).toBe(0);
        expect(JSON.parse(result.stdout)).toMatchObject({ size: 1 });
      } finally {
        await queryDatabase(database.url, `DROP OWNED BY "${role}"`);
        await queryDatabase(POSTGRES_ADMIN_URL, `DROP ROLE "${role}"`);
      }
    });

    it('refuses the embedded store, which has nothing to migrate', async () => {
      const result = await runCli(['store', 'migrate', '--store', 'sqlite:data'], {
        cwd: temp.dir,
        env: {},
      });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('needs a postgres://');
    });
  });

  describe('when the store cannot be used', () => {
    it('refuses a scheme it does not know, naming the accepted ones', async () => {
      const result = await add('mysql://root@127.0.0.1/nospy');
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('CONFIG_INVALID');
      expect(result.stderr).toContain('NOSPY_STORE_URL');
      expect(result.stderr).toContain('postgres://');
      expect(existsSync(join(temp.dir, '.nospy'))).toBe(false);
    });

    it('says the server cannot be reached when nothing listens there', async () => {
      const result = await add('postgres://root@127.0.0.1:1/nospy');
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('STORE_UNREACHABLE');
      expect(result.stderr).toContain('cannot be reached');
    });

    it('says the database does not exist', async () => {
      const result = await add(database.url.replace(database.name, `${database.name}_absent`));
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('does not exist');
    });

    it('says the server refused the credentials, without printing the password', async () => {
      const role = `${database.name}_nologin`;
      await queryDatabase(POSTGRES_ADMIN_URL, `CREATE ROLE "${role}" NOLOGIN`);
      try {
        const url = new URL(database.url);
        url.username = role;
        url.password = 'not-the-password';
        const result = await add(url.toString());
        expect(result.code).toBe(2);
        expect(result.stderr).toContain('STORE_AUTH');
        expect(result.stderr).toContain('refused the credentials');
        expect(result.stderr).not.toContain('not-the-password');
      } finally {
        await queryDatabase(POSTGRES_ADMIN_URL, `DROP ROLE "${role}"`);
      }
    });

    it('refuses a database at a newer schema version, writing nothing', async () => {
      expect((await add(database.url)).code).toBe(0);
      await queryDatabase(
        database.url,
        "INSERT INTO nospy_schema (version, description) VALUES ($1, 'from the future')",
        [SCHEMA_VERSION + 1],
      );
      const result = await add(database.url);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('STORE_SCHEMA');
      expect(result.stderr).toContain(`schema version ${SCHEMA_VERSION + 1}`);
    });

    it('refuses a database holding another log, naming its origin', async () => {
      expect((await add(database.url)).code).toBe(0);
      const otherKey = join(temp.dir, 'other.key');
      writeFileSync(otherKey, `${other.skey}\n`);
      const result = await add(database.url, {}, otherKey);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('LOG_STATE_INVALID');
      expect(result.stderr).toContain('holds another log: pg.example/log');
      const rows = await queryDatabase(database.url, 'SELECT 1 FROM log_entries');
      expect(rows).toHaveLength(1);
    });
  });
});
