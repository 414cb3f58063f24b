/**
 * Connections to a PostgreSQL store: one `pg` pool per store, its failures turned into
 * StoreErrors that say what is wrong in the operator's terms (the server cannot be reached, it
 * refused the credentials, the database does not exist) rather than a driver message.
 */
import pg from 'pg';
import { errorText } from '../../errors/error-text.js';
import { StoreError } from '../errors.js';
import { redactStoreUrl } from '../store-url.js';

export type PostgresPool = pg.Pool;
export type PostgresClient = pg.PoolClient;

/** Connections a store holds at most: the sequencer's one writer, readers for the HTTP routes. */
export const DEFAULT_POOL_SIZE = 8;

/** How long a connection attempt may take before the server counts as unreachable. */
const CONNECT_TIMEOUT_MS = 10_000;

/** The OID of int8 (bigint). */
const INT8_OID = 20;

/**
 * bigint columns (log indexes, sizes) as numbers: the log's indexes stay below 2^53 (the tree
 * code uses numbers throughout), and a string index would slip past every `===`.
 */
export const BIGINT_AS_NUMBER = new pg.TypeOverrides();
BIGINT_AS_NUMBER.setTypeParser(INT8_OID, 'text', Number);

export interface PostgresPoolOptions {
  readonly max?: number | undefined;
}

/**
 * Opens a pool on `url` and checks at once that a connection works, so a wrong password or an
 * unreachable server stops the start with its own error instead of the first request's.
 */
export async function openPostgresPool(
  url: string,
  options: PostgresPoolOptions = {},
): Promise<PostgresPool> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? DEFAULT_POOL_SIZE,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    types: BIGINT_AS_NUMBER,
    application_name: 'nospy',
  });
  // An idle connection the server drops (a restart, a failover) is reported here; the pool
  // discards it and the next query opens another, so it is not a reason to crash.
  pool.on('error', () => undefined);
  try {
    const client = await pool.connect();
    client.release();
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw postgresError(`connect to ${redactStoreUrl(url)}`, error, redactStoreUrl(url));
  }
  return pool;
}

/** PostgreSQL's SQLSTATE, or the socket's errno code, of a driver error. */
function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

const UNREACHABLE_ERRNOS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  // PostgreSQL is starting up, shutting down, or in recovery (SQLSTATE class 57P).
  '57P01',
  '57P02',
  '57P03',
]);

/**
 * The StoreError a failed PostgreSQL operation is reported as. `what` completes "cannot …".
 * https://www.postgresql.org/docs/current/errcodes-appendix.html
 */
export function postgresError(what: string, error: unknown, where?: string): StoreError {
  if (error instanceof StoreError) return error;
  const code = codeOf(error);
  const text = errorText(error);
  const place = where === undefined ? {} : { where };
  // 28P01 invalid_password, 28000 invalid_authorization_specification (no such role, no
  // pg_hba.conf entry, or a role that may not log in).
  if (code === '28P01' || code === '28000') {
    return new StoreError(
      'STORE_AUTH',
      `cannot ${what}: PostgreSQL refused the credentials (${text}); check the user and password in the store URL and pg_hba.conf`,
      { ...place, cause: error },
    );
  }
  if (code === '3D000') {
    return new StoreError(
      'STORE_UNREACHABLE',
      `cannot ${what}: ${text}; create it first (createdb, or CREATE DATABASE)`,
      { ...place, cause: error },
    );
  }
  if (
    (code !== undefined && UNREACHABLE_ERRNOS.has(code)) ||
    /timeout|terminated unexpectedly|Connection terminated/i.test(text)
  ) {
    return new StoreError(
      'STORE_UNREACHABLE',
      `cannot ${what}: the PostgreSQL server cannot be reached (${text || code || 'no answer'})`,
      { ...place, cause: error },
    );
  }
  // 53100 disk_full, 53200 out_of_memory, 53300 too_many_connections: retry later.
  if (code === '53100') {
    return new StoreError('STORE_FULL', `cannot ${what}: the database disk is full (${text})`, {
      ...place,
      cause: error,
    });
  }
  return new StoreError('STORE_IO', `cannot ${what}: ${text}`, { ...place, cause: error });
}
