/**
 * Reads a log's statements from its data directory (read-only): every entry up to the latest
 * signed checkpoint, verified against the trust file, each with its c2sp.org/tlog-proof.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { TreeReader } from '../../log/tree-reader.js';
import {
  loggedStatementProof,
  parseEnvelope,
  verifyStatement,
  type Trust,
} from '../../statements/index.js';
import { SqliteLogStore } from '../../store/sqlite/log-store.js';
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

/** Reads and verifies the statements of the log in `dataDir`. */
export async function readLogStatements(
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
    const tree = new TreeReader((level, i) => store.readTile(level, i));
    const statements: LoggedStatement[] = [];
    let skipped = 0;
    for (let start = 0; start < checkpoint.size; start += CHUNK) {
      const entries = await store.readEntries(start, Math.min(CHUNK, checkpoint.size - start));
      if (entries.length === 0) {
        throw new CheckError(
          'CHECK_DATA_CORRUPT',
          `the log in ${db} is missing entries from ${start} on (checkpoint size ${checkpoint.size})`,
          { where: db },
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
          tlogProof: await loggedStatementProof(store, index, checkpoint, tree),
          statement: verified.statement,
        });
      }
      onProgress?.(Math.min(start + CHUNK, checkpoint.size), checkpoint.size);
    }
    return { statements, checkpoint: checkpoint.cosignedNote ?? checkpoint.note, skipped };
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
