/**
 * Opens a log by where it is: an http(s) URL (its tlog-tiles prefix), a PostgreSQL store
 * (`postgres://…`), a data directory holding `nospy.db`, or a directory of tlog-tiles files. All
 * are read by the same verifier.
 */
import { existsSync, statSync } from 'node:fs';
import { LogError } from '../errors.js';
import type { LogSource } from './log-source.js';
import { PostgresLogSource } from './postgres-log-source.js';
import { isLogDataDirectory, SqliteLogSource } from './sqlite-log-source.js';
import { isTilesDirectory, tilesDirSource } from './tiles-dir-source.js';
import { urlLogSource } from './url-log-source.js';
import { isPostgresUrl } from '../../store/store-url.js';

/** True when `location` names a log by URL rather than by a directory. */
export function isLogUrl(location: string): boolean {
  return /^https?:\/\//i.test(location);
}

/**
 * The source for `location`. Throws LOG_UNREACHABLE when the directory does not exist or the
 * database holds no log, LOG_USAGE when a directory holds neither a log database nor tiles, and
 * the StoreError of a database that cannot be used (STORE_UNREACHABLE, STORE_AUTH).
 */
export async function openLogSource(location: string): Promise<LogSource> {
  if (isPostgresUrl(location)) return PostgresLogSource.open(location);
  if (isLogUrl(location)) return urlLogSource(location);
  if (!existsSync(location) || !statSync(location).isDirectory()) {
    throw new LogError('LOG_UNREACHABLE', `${location} does not exist or is not a directory`, {
      where: location,
    });
  }
  if (isLogDataDirectory(location)) return new SqliteLogSource(location);
  if (isTilesDirectory(location)) return tilesDirSource(location);
  throw new LogError(
    'LOG_USAGE',
    `${location} is neither a log data directory (nospy.db) nor a copy of a log's tiles (checkpoint, tile/…)`,
    { where: location },
  );
}
