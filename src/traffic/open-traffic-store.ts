/**
 * The traffic store a URL names, behind the port: `sqlite:<file>` or a bare path (relative to
 * `base`), or a PostgreSQL URL (`postgres://…`, the database every worker shares). Workers create
 * the store; readers (the check, the API) require it to exist.
 */
import { existsSync } from 'node:fs';
import { isPostgresUrl, redactStoreUrl } from '../store/store-url.js';
import { resolve } from 'node:path';
import { TrafficError } from './errors.js';
import { PostgresTrafficStore } from './postgres-traffic-store.js';
import { SqliteTrafficStore } from './sqlite-traffic-store.js';
import type { TrafficStorePort } from './traffic-store-port.js';

export interface OpenTrafficStoreOptions {
  /** What relative paths are resolved against (the config file's directory). */
  readonly base: string;
  /** Workers create a missing store; a reader is refused one (TRAFFIC_STORE_MISSING). */
  readonly create: boolean;
}

/** The default store of a data directory: `<data>/traffic.db`. */
export function defaultTrafficStore(dataDir: string): string {
  return `sqlite:${resolve(dataDir, 'traffic.db')}`;
}

export async function openTrafficStore(
  url: string,
  options: OpenTrafficStoreOptions,
): Promise<TrafficStorePort> {
  // Migrated on open; a reader then meets a store no worker has applied anything to as empty,
  // which readTrafficVerdicts refuses like a missing file.
  if (isPostgresUrl(url)) return PostgresTrafficStore.open(url);
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(url)) {
    throw new TrafficError(
      'TRAFFIC_STORE_UNSUPPORTED',
      `${redactStoreUrl(url)}: not a traffic store URL; use postgres://…, sqlite:<file> or a path`,
      { where: redactStoreUrl(url) },
    );
  }
  const rest = url.startsWith('sqlite:') ? url.slice('sqlite:'.length) : url;
  const file = resolve(options.base, rest.startsWith('//') ? rest.slice(2) : rest);
  if (!options.create && !existsSync(file))
    throw new TrafficError(
      'TRAFFIC_STORE_MISSING',
      `the traffic store ${file} does not exist: no traffic worker has written it (nospy traffic worker --store ${url})`,
      { where: file },
    );
  return new SqliteTrafficStore(file);
}
