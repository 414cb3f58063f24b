/**
 * The calls every PostgreSQL store makes, answered as the store ports answer: refused once the
 * store is closed, any driver failure reported as the StoreError that names what was being done
 * (postgresError), a transaction on one connection that is dropped if its ROLLBACK failed, and a
 * pool opened with the schema migrated. The SQLite side has the same in `sqlite/store-call.ts`.
 */
import { StoreError } from '../errors.js';
import { migrate } from './migrations.js';
import {
  openPostgresPool,
  postgresError,
  type PostgresClient,
  type PostgresPool,
  type PostgresPoolOptions,
} from './pool.js';

/** Runs `work` unless the store is closed; its failure becomes a StoreError naming `what`. */
export async function postgresCall<T>(
  closed: boolean,
  what: string,
  work: () => Promise<T>,
): Promise<T> {
  if (closed) throw new StoreError('STORE_IO', `cannot ${what}: the store is closed`);
  try {
    return await work();
  } catch (error) {
    throw postgresError(what, error);
  }
}

/**
 * Runs `work` in one transaction on one connection of `pool`: committed when it resolves,
 * rolled back when it throws. Failures are left to the caller's postgresCall to name.
 */
export async function inTransaction<T>(
  pool: PostgresPool,
  work: (client: PostgresClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {
      broken = true;
    });
    throw error;
  } finally {
    // A connection whose ROLLBACK failed is in an unknown state: the pool drops it.
    client.release(broken);
  }
}

/** Connects to `url` and brings the schema up to date; the pool is ended if that fails. */
export async function openMigratedPool(
  url: string,
  options: PostgresPoolOptions = {},
): Promise<PostgresPool> {
  const pool = await openPostgresPool(url, options);
  try {
    await migrate(pool);
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }
  return pool;
}
