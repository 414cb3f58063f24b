/**
 * Opens a log by where it is: an http(s) URL (its tlog-tiles prefix), a data directory holding
 * `nospy.db`, or a directory of tlog-tiles files. All three are read by the same verifier.
 */
import { existsSync, statSync } from 'node:fs';
import { LogError } from '../errors.js';
import type { LogSource } from './log-source.js';
import { isLogDataDirectory, SqliteLogSource } from './sqlite-log-source.js';
import { isTilesDirectory, tilesDirSource } from './tiles-dir-source.js';
import { urlLogSource } from './url-log-source.js';

/** True when `location` names a log by URL rather than by a directory. */
export function isLogUrl(location: string): boolean {
  return /^https?:\/\//i.test(location);
}

/**
 * The source for `location`. Throws LOG_UNREACHABLE when the directory does not exist, LOG_USAGE
 * when it holds neither a log database nor tiles.
 */
export function openLogSource(location: string): LogSource {
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
