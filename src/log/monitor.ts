import type { NoteVerifier } from '../tlog/note-key.js';
import { sameHash } from '../tlog/proof.js';
import { tileHashReader } from '../tlog/tiles.js';
import { treeRoot } from '../tlog/tree.js';
import { tileKey } from './audit.js';
import { LogError } from './errors.js';
import type { MonitorState } from './monitor-state.js';
import { readRemoteLog } from './remote-log.js';

export interface MonitorOptions {
  /** The tiles prefix, e.g. http://127.0.0.1:8080 */
  readonly url: string;
  readonly logVerifier: NoteVerifier;
  readonly witnesses: readonly NoteVerifier[];
  readonly quorum: number;
  /** What this monitor saw last time, if anything. */
  readonly previous: MonitorState | undefined;
  /** Parallel requests. Default 16. */
  readonly concurrency?: number | undefined;
  readonly timeoutMs?: number | undefined;
}

export interface MonitorReport {
  readonly origin: string;
  readonly size: number;
  readonly rootHash: string;
  readonly previousSize: number | undefined;
  readonly tiles: number;
  readonly entries: number;
  readonly cosignatures: number;
  readonly next: MonitorState;
}

/**
 * Audits a log from its tlog-tiles API: the checkpoint verifies under the log key and the witness
 * quorum; every tile and entry bundle is fetched; every entry hashes to its leaf; every tile hash
 * is the root of the tile below; the tiles give the signed root; and the root at the previously
 * seen size is the one seen then (append-only). Throws LOG_UNREACHABLE (exit 2) when the log
 * cannot be read, LOG_INCONSISTENT (exit 1) for anything that does not verify.
 */
export async function monitorLog(options: MonitorOptions): Promise<MonitorReport> {
  const remote = await readRemoteLog(options);
  const { base, note, opened, tiles } = remote;
  const { size, rootHash, origin } = opened.checkpoint;
  const previous = options.previous;
  if (previous !== undefined && previous.size > size) {
    throw new LogError(
      'LOG_INCONSISTENT',
      `the log went back from size ${previous.size} (seen ${previous.seenAt}) to ${size}: a rollback or a split view`,
      { where: `${base}/checkpoint` },
    );
  }

  if (previous !== undefined && previous.size > 0) {
    // Append-only: the tree the log shows now must contain the tree it showed then.
    const read = tileHashReader(size, (level, index) => {
      const tile = tiles.get(tileKey(level, index));
      if (tile === undefined)
        throw new LogError('LOG_INCONSISTENT', `tile/${level}/${index} is missing`);
      return tile;
    });
    const oldRoot = treeRoot(previous.size, read);
    if (!sameHash(oldRoot, Buffer.from(previous.rootHash, 'base64'))) {
      throw new LogError(
        'LOG_INCONSISTENT',
        `the log at size ${size} is not an extension of the checkpoint of size ${previous.size} seen ${previous.seenAt}: its first ${previous.size} entries now hash to ${oldRoot.toString('base64')}, not ${previous.rootHash} — the log was rewritten or forked`,
        { where: `${base}/checkpoint` },
      );
    }
  }
  return {
    origin,
    size,
    rootHash: rootHash.toString('base64'),
    previousSize: previous?.size,
    tiles: remote.tileCount,
    entries: remote.entryCount,
    cosignatures: opened.cosignatures.length,
    next: {
      origin,
      vkey: options.logVerifier.vkey,
      size,
      rootHash: rootHash.toString('base64'),
      checkpoint: note,
      seenAt: new Date().toISOString(),
    },
  };
}
