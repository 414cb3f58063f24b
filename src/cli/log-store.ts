/**
 * What a command that runs a log opens from `store.url` (src/store/store-url.ts): the log store,
 * the blob store, where the audit watermark is kept and how the auditor reads the log. The
 * embedded default keeps them all in the data directory; PostgreSQL keeps them all in the
 * database, so a replica needs no data directory at all.
 */
import { join } from 'node:path';
import type { BlobStorePort } from '../blobs/blob-store-port.js';
import { FsBlobStore } from '../blobs/fs-blob-store.js';
import { PostgresBlobStore } from '../blobs/postgres-blob-store.js';
import type { NospyConfig } from '../config/schema.js';
import { postgresWatermarkStore } from '../log/store-audit/postgres-watermark.js';
import { sqliteWatermarkStore, type WatermarkStore } from '../log/store-audit/sqlite-watermark.js';
import type { LogSource } from '../log/verify/log-source.js';
import { PostgresLogSource } from '../log/verify/postgres-log-source.js';
import type { LogStorePort } from '../store/log-store-port.js';
import { PostgresLogStore } from '../store/postgres/postgres-log-store.js';
import type { FindingStorePort } from '../store/finding-store-port.js';
import { PostgresFindingStore } from '../store/postgres/postgres-finding-store.js';
import { openMigratedPool } from '../store/postgres/store-call.js';
import { SqliteFindingStore } from '../store/sqlite/sqlite-finding-store.js';
import { SqliteLogStore } from '../store/sqlite/sqlite-log-store.js';
import { SqliteWitnessStore } from '../store/sqlite/sqlite-witness-store.js';
import { PostgresWitnessStore } from '../store/postgres/postgres-witness-store.js';
import type { WitnessStorePort } from '../store/witness-store-port.js';
import { redactStoreUrl, resolveStoreLocation, type StoreLocation } from '../store/store-url.js';

export interface OpenedLogStores {
  readonly location: StoreLocation;
  /** The data directory, or the store's URL without its password: for messages. */
  readonly name: string;
  /** Handed to openLog, which closes it with the log. */
  readonly log: LogStorePort;
  readonly blobs: BlobStorePort;
  readonly watermarks: WatermarkStore;
  /** How the auditor reads the log; undefined: the data directory's database. */
  readonly openAuditSource: (() => Promise<LogSource>) | undefined;
  /** Closes what is not the log store (the blob store's and the watermark's connections). */
  close(): Promise<void>;
}

/** The location `config` names: `store.url`, else the data directory. */
export function storeLocationOf(config: NospyConfig): StoreLocation {
  return resolveStoreLocation(config.store.url, config.data);
}

/** Opens the log store alone (`nospy log add`). */
export async function openLogStore(location: StoreLocation): Promise<LogStorePort> {
  return location.kind === 'postgres'
    ? PostgresLogStore.open(location.url)
    : new SqliteLogStore(location.dataDir);
}

/** Opens a witness's state (`nospy witness serve`). */
export async function openWitnessStore(location: StoreLocation): Promise<WitnessStorePort> {
  return location.kind === 'postgres'
    ? PostgresWitnessStore.open(location.url)
    : new SqliteWitnessStore(location.dataDir);
}

/**
 * Opens the check's finding history and triage (`nospy check`, `nospy serve`): beside the log,
 * in the data directory's database or in the PostgreSQL database every replica shares.
 */
export async function openFindingStore(location: StoreLocation): Promise<FindingStorePort> {
  return location.kind === 'postgres'
    ? PostgresFindingStore.open(location.url)
    : new SqliteFindingStore(location.dataDir);
}

/** Opens everything `nospy serve` keeps in its store. */
export async function openLogStores(location: StoreLocation): Promise<OpenedLogStores> {
  if (location.kind === 'sqlite') {
    const log = new SqliteLogStore(location.dataDir);
    const watermarks = sqliteWatermarkStore(location.dataDir);
    return {
      location,
      name: location.dataDir,
      log,
      blobs: new FsBlobStore({ root: join(location.dataDir, 'blobs') }),
      watermarks,
      openAuditSource: undefined,
      close: () => {
        watermarks.close();
        return Promise.resolve();
      },
    };
  }
  const { url } = location;
  const log = await PostgresLogStore.open(url);
  try {
    // Blobs and the watermark have connections of their own, so a large upload never holds
    // one the sequencer or the read routes wait for.
    const pool = await openMigratedPool(url, { max: 2 });
    return {
      location,
      name: redactStoreUrl(url),
      log,
      blobs: new PostgresBlobStore({ pool }),
      watermarks: postgresWatermarkStore(pool),
      openAuditSource: () => PostgresLogSource.open(url),
      close: () => pool.end(),
    };
  } catch (error) {
    await log.close();
    throw error;
  }
}
