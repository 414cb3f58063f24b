/**
 * Reads a log's statements — from its data directory (read-only) or from its tlog-tiles API
 * over HTTP — every entry up to the latest signed checkpoint, verified against the trust file,
 * each with its c2sp.org/tlog-proof. Both paths verify the same things: the checkpoint is signed
 * by the trust file's log key and carries its witness quorum, and every proof is against it.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { LogError } from '../../log/errors.js';
import { readRemoteLog } from '../../log/remote-log.js';
import { TreeReader } from '../../log/tree-reader.js';
import {
  loggedStatementProof,
  parseEnvelope,
  verifyStatement,
  type Trust,
} from '../../statements/index.js';
import { SqliteLogStore } from '../../store/sqlite/sqlite-log-store.js';
import { openCheckpoint } from '../../tlog/checkpoint.js';
import { formatTlogProof } from '../../tlog/proof-bundle.js';
import { tileHashReader } from '../../tlog/tiles.js';
import { inclusionProof } from '../../tlog/tree.js';
import { tileKey } from '../../log/audit.js';
import { CheckError } from '../errors.js';
import type { LoggedStatement } from '../evidence.js';

/** Entries read per store call. */
const CHUNK = 1024;

export interface LogRead {
  readonly statements: LoggedStatement[];
  /** The checkpoint the proofs are against (cosigned when witnesses cosigned it). */
  readonly checkpoint: string | undefined;
  /** Entries that are not statements the trust file vouches for (not checked, counted). */
  readonly skipped: number;
}

/** True when `log` names a log by its tlog-tiles URL rather than a data directory. */
export function isLogUrl(log: string): boolean {
  return /^https?:\/\//i.test(log);
}

/** Reads and verifies the statements of the log at `source` (a data directory or a URL). */
export function readLogStatements(
  source: string,
  trust: Trust,
  now: Date,
  onProgress?: (done: number, total: number) => void,
): Promise<LogRead> {
  return isLogUrl(source)
    ? readServedLog(source, trust, now, onProgress)
    : readLogDirectory(source, trust, now, onProgress);
}

/** The trust file's witness policy, as `openCheckpoint` takes it. */
function witnessPolicy(trust: Trust) {
  return { witnesses: trust.witnesses.keys, quorum: trust.witnesses.quorum };
}

/** Collects the statements the trust file vouches for among entries [0, size). */
async function collect(
  size: number,
  read: (start: number, count: number) => Promise<readonly Buffer[]>,
  proofOf: (index: number) => Promise<string>,
  trust: Trust,
  now: Date,
  where: string,
  onProgress?: (done: number, total: number) => void,
): Promise<{ statements: LoggedStatement[]; skipped: number }> {
  const statements: LoggedStatement[] = [];
  let skipped = 0;
  for (let start = 0; start < size; start += CHUNK) {
    const entries = await read(start, Math.min(CHUNK, size - start));
    if (entries.length === 0) {
      throw new CheckError(
        'CHECK_DATA_CORRUPT',
        `the log at ${where} is missing entries from ${start} on (checkpoint size ${size})`,
        { where },
      );
    }
    for (const [offset, entry] of entries.entries()) {
      const index = start + offset;
      let envelope;
      try {
        envelope = parseEnvelope(entry);
      } catch {
        skipped++;
        continue;
      }
      const verified = verifyStatement(envelope, trust, { now });
      if (
        verified.statement === undefined ||
        !verified.checks.every((c) => c.status !== 'fail' || c.id === 'validity')
      ) {
        skipped++;
        continue;
      }
      statements.push({
        index,
        envelope: entry.toString('utf8'),
        tlogProof: await proofOf(index),
        statement: verified.statement,
      });
    }
    onProgress?.(Math.min(start + CHUNK, size), size);
  }
  return { statements, skipped };
}

async function readLogDirectory(
  dataDir: string,
  trust: Trust,
  now: Date,
  onProgress?: (done: number, total: number) => void,
): Promise<LogRead> {
  const db = join(dataDir, 'nospy.db');
  if (!existsSync(dataDir) || !statSync(dataDir).isDirectory()) {
    throw new CheckError(
      'CHECK_LOG_UNREACHABLE',
      `the log data directory ${dataDir} does not exist`,
      {
        where: dataDir,
      },
    );
  }
  if (!existsSync(db)) {
    throw new CheckError('CHECK_LOG_UNREACHABLE', `${dataDir} holds no log (no nospy.db)`, {
      where: db,
    });
  }
  let store: SqliteLogStore;
  try {
    store = new SqliteLogStore(dataDir);
  } catch (error) {
    throw new CheckError(
      'CHECK_DATA_CORRUPT',
      `the log database ${db} cannot be opened: ${(error as Error).message}`,
      {
        where: db,
        cause: error,
      },
    );
  }
  try {
    const checkpoint = await store.latestCheckpoint();
    if (checkpoint === undefined) return { statements: [], checkpoint: undefined, skipped: 0 };
    const note = checkpoint.cosignedNote ?? checkpoint.note;
    if (trust.log !== undefined) {
      // The same bar as a log read over HTTP: a local database is no more trusted than a server.
      try {
        openCheckpoint(note, trust.log.key, witnessPolicy(trust));
      } catch (error) {
        throw new CheckError(
          'CHECK_LOG_UNVERIFIED',
          `the latest checkpoint in ${db} does not verify against the trust file: ${(error as Error).message}`,
          { where: db, cause: error },
        );
      }
    }
    const tree = new TreeReader((level, i) => store.readTile(level, i));
    const { statements, skipped } = await collect(
      checkpoint.size,
      (start, count) => store.readEntries(start, count),
      (index) => loggedStatementProof(store, index, checkpoint, tree),
      trust,
      now,
      db,
      onProgress,
    );
    return { statements, checkpoint: note, skipped };
  } catch (error) {
    if (error instanceof CheckError) throw error;
    throw new CheckError(
      'CHECK_DATA_CORRUPT',
      `the log in ${db} cannot be read: ${(error as Error).message}`,
      {
        where: db,
        cause: error,
      },
    );
  } finally {
    await store.close();
  }
}

/**
 * Reads a served log: the checkpoint, every tile and entry bundle, audited against the signed
 * root (src/log/remote-log.ts), then each statement proved from the audited tiles.
 */
async function readServedLog(
  url: string,
  trust: Trust,
  now: Date,
  onProgress?: (done: number, total: number) => void,
): Promise<LogRead> {
  if (trust.log === undefined) {
    throw new CheckError(
      'CHECK_INPUT_MISSING',
      `reading the log at ${url} needs the log's key: the trust file has no log: { key: … }`,
      { where: url },
    );
  }
  let remote;
  try {
    remote = await readRemoteLog({
      url,
      logVerifier: trust.log.key,
      ...witnessPolicy(trust),
      keepEntries: true,
    });
  } catch (error) {
    if (error instanceof LogError && error.code === 'LOG_UNREACHABLE') {
      throw new CheckError(
        'CHECK_LOG_UNREACHABLE',
        `the log at ${url} cannot be reached: ${error.message}`,
        { where: url, cause: error },
      );
    }
    throw new CheckError(
      'CHECK_LOG_UNVERIFIED',
      `the log at ${url} does not verify against the trust file: ${(error as Error).message}`,
      { where: url, cause: error },
    );
  }
  const { size } = remote.opened.checkpoint;
  const hashes = tileHashReader(size, (level, index) => {
    const tile = remote.tiles.get(tileKey(level, index));
    if (tile === undefined) throw new Error(`unreachable: tile ${level}/${index} was audited`);
    return tile;
  });
  const { statements, skipped } = await collect(
    size,
    (start, count) => Promise.resolve(remote.entries.slice(start, start + count)),
    (index) =>
      Promise.resolve(
        formatTlogProof({
          index,
          proof: inclusionProof(index, size, hashes),
          checkpoint: remote.note,
        }),
      ),
    trust,
    now,
    url,
    onProgress,
  );
  return { statements, checkpoint: remote.note, skipped };
}
