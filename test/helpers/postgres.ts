/**
 * Throw-away PostgreSQL databases for tests: each is created on the server the `postgresql` tool
 * entry finds (127.0.0.1:5432, user root, trust authentication as on the development machines
 * and in .ci/run), named after the process and a random suffix so that parallel runs never share
 * one, and dropped after (WITH (FORCE): a test that failed may have left connections open).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The server's maintenance database, from which test databases are created. */
export const POSTGRES_ADMIN_URL =
  process.env.NOSPY_TEST_POSTGRES_URL ?? 'postgres://root@127.0.0.1:5432/postgres';

export interface TestDatabase {
  readonly name: string;
  /** The URL of the new database, as `store.url` takes it. */
  readonly url: string;
  /** Drops the database. Idempotent. */
  drop(): Promise<void>;
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Creates an empty database `nospy_test_<pid>_<random>`. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `nospy_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  // The name is ours (digits, hex, underscores), so quoting it is enough.
  await admin((client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  let dropped: Promise<void> | undefined;
  return {
    name,
    url: url.toString(),
    drop() {
      dropped ??= admin(async (client) => {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      });
      return dropped;
    },
  };
}

/** Runs one statement on a test database (to damage it, or to read what the store wrote). */
export async function queryDatabase<R extends pg.QueryResultRow = pg.QueryResultRow>(
  url: string,
  sql: string,
  params: unknown[] = [],
): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(sql, params)).rows;
  } finally {
    await client.end();
  }
}
