/**
 * Copies a whole log from one store to another (`nospy store copy`): its entries, tiles, signed
 * checkpoint, statement index and blobs, between any two adapters of the store ports. Every
 * entry is checked against the signed tree on the way: the copy recomputes the Merkle tree from
 * the entries it reads (RFC 9162 §2.1.1) and writes the tiles it computed, never the source's,
 * and the source's signed checkpoint — verified against the log key the caller hands in — is
 * written to the destination only in the last batch, and only when the recomputed root is the
 * signed one. Until then the destination's checkpoint row holds UNFINISHED_COPY_NOTE, which no
 * key verifies: an interrupted or refused copy is never taken for a log (serving or verifying
 * it fails on that note), and a later copy refuses it as not empty.
 */
import { openCheckpoint, type OpenedCheckpoint } from '../../tlog/checkpoint.js';
import { leafHash } from '../../tlog/hash.js';
import type { NoteVerifier } from '../../tlog/note-key.js';
import { sameHash } from '../../tlog/proof.js';
import { errorText } from '../../errors/error-text.js';
import type { BlobStorePort } from '../../blobs/blob-store-port.js';
import { StoreError } from '../../store/errors.js';
import type {
  IndexedLeaf,
  LogStorePort,
  SignTime,
  StoredCheckpoint,
} from '../../store/log-store-port.js';
import { LogError } from '../errors.js';
import { extendRightEdge } from '../right-edge.js';
import { TileBuilder } from '../tile-builder.js';
import { copyBlobs, copyStatementIndex } from './copy-derived.js';

/** One end of a copy: a log store and the blob store beside it. */
export interface LogStores {
  readonly log: LogStorePort;
  readonly blobs: BlobStorePort;
}

/** Entries per destination batch: at most 64 MiB of entries (65,535 bytes each) in memory. */
export const COPY_BATCH_ENTRIES = 1024;

/** What the destination's checkpoint row says while a copy is under way or after it failed. */
export function unfinishedCopyNote(origin: string): string {
  return `nospy store copy: an unfinished copy of ${origin}; not a signed checkpoint\n`;
}

export interface CopyProgress {
  readonly entries: number;
  readonly size: number;
}

export interface CopyOptions {
  /** The log's key, from the trust file: the source's checkpoint must verify under it. */
  readonly logKey: NoteVerifier;
  readonly batchEntries?: number;
  readonly onProgress?: (progress: CopyProgress) => void;
}

export interface CopyOutcome {
  readonly origin: string;
  readonly size: number;
  readonly rootHash: Buffer;
  readonly tiles: number;
  readonly statements: number;
  readonly blobsCopied: number;
  readonly blobsPresent: number;
  readonly cosigned: boolean;
}

/**
 * Copies the log in `from` into the empty `to`. Throws LOG_UNVERIFIED when the source does not
 * verify (its checkpoint under `logKey`, its entries against that checkpoint), LOG_STATE_INVALID
 * when the destination holds another log, STORE_NOT_EMPTY when it holds any of this one.
 */
export async function copyLog(
  from: LogStores,
  to: LogStores,
  options: CopyOptions,
): Promise<CopyOutcome> {
  const source = await verifiedSourceCheckpoint(from.log, options.logKey);
  const { origin, size, rootHash } = source.opened.checkpoint;
  await claimEmptyDestination(to.log, { origin, vkey: options.logKey.vkey });

  // Blobs first: statements name them, and a reader of the finished copy must find them.
  const blobs = await copyBlobs(from.blobs, to.blobs);
  const batch = options.batchEntries ?? COPY_BATCH_ENTRIES;
  const frontier: Buffer[] = [];
  const tiles = new TileBuilder();
  let tileRows = 0;
  let statements = 0;
  for (let start = 0; start < size || start === 0; start += batch) {
    const count = Math.min(batch, size - start);
    const leaves = await readLeaves(from.log, start, count);
    const grown = extendRightEdge(frontier, tiles, start, leaves);
    const rows = tiles.take();
    tileRows += rows.length;
    const last = start + count >= size;
    if (last) {
      if (!sameHash(grown.rootHash, rootHash)) {
        throw new LogError(
          'LOG_UNVERIFIED',
          `the source's ${size} entries hash to the root ${grown.rootHash.toString('base64')}, not to the signed root ${rootHash.toString('base64')}: an entry was changed, added or removed after it was signed; nothing was claimed complete in the destination (its checkpoint says it is an unfinished copy)`,
        );
      }
      // The derived index goes in before the batch that makes the copy a log.
      statements = await copyStatementIndex(from.log, to.log, size);
    }
    await to.log.integrate({
      fromSize: start,
      leaves,
      tiles: rows,
      checkpoint: {
        size: grown.size,
        rootHash: grown.rootHash,
        note: last ? source.stored.note : unfinishedCopyNote(origin),
      },
      signTimes: await sourceSignTimes(from.log, start, count),
    });
    options.onProgress?.({ entries: grown.size, size });
    if (last) break;
  }
  if (source.stored.cosignedNote !== undefined) {
    await to.log.saveCosignedCheckpoint(size, source.stored.cosignedNote);
  }
  await checkCopiedCheckpoint(to.log, source.stored, options.logKey);
  return {
    origin,
    size,
    rootHash,
    tiles: tileRows,
    statements,
    blobsCopied: blobs.copied,
    blobsPresent: blobs.present,
    cosigned: source.stored.cosignedNote !== undefined,
  };
}

/**
 * The source's sign times for entries [start, start + count), as rows the destination keeps: one
 * at the end of each run of entries logged at the same time, so that every copied entry is
 * logged when it was in the source (and entries whose time the source never kept stay so).
 */
async function sourceSignTimes(
  log: LogStorePort,
  start: number,
  count: number,
): Promise<SignTime[]> {
  const indexes = Array.from({ length: count }, (_, i) => start + i);
  const times = await log.loggedTimes(indexes);
  const rows: SignTime[] = [];
  for (let i = 0; i < count; i += 1) {
    const at = times.get(start + i) ?? null;
    const next = i + 1 < count ? (times.get(start + i + 1) ?? null) : undefined;
    if (next !== at) rows.push({ size: start + i + 1, at });
  }
  return rows;
}

interface SourceCheckpoint {
  readonly stored: StoredCheckpoint;
  readonly opened: OpenedCheckpoint;
}

/** The source's checkpoint, verified under the log key and agreeing with its own row. */
async function verifiedSourceCheckpoint(
  log: LogStorePort,
  logKey: NoteVerifier,
): Promise<SourceCheckpoint> {
  const stored = await log.latestCheckpoint();
  if (stored === undefined) {
    throw new LogError('LOG_NOT_FOUND', 'the source holds no log: it has no signed checkpoint');
  }
  const opened = openUnder(stored.note, logKey, "the source's checkpoint");
  if (stored.cosignedNote !== undefined) {
    const cosigned = openUnder(stored.cosignedNote, logKey, "the source's cosigned checkpoint");
    if (cosigned.text !== opened.text) {
      throw new LogError(
        'LOG_UNVERIFIED',
        "the source's cosigned checkpoint is not its signed checkpoint with cosignatures added",
      );
    }
  }
  if (
    opened.checkpoint.size !== stored.size ||
    !sameHash(opened.checkpoint.rootHash, stored.rootHash)
  ) {
    throw new LogError(
      'LOG_UNVERIFIED',
      `the source's signed checkpoint (size ${opened.checkpoint.size}) disagrees with its checkpoint row (size ${stored.size})`,
    );
  }
  const identity = await log.claimIdentity({ origin: opened.checkpoint.origin, vkey: logKey.vkey });
  if (identity.vkey !== logKey.vkey) {
    throw new LogError(
      'LOG_UNVERIFIED',
      `the source records the log key ${identity.vkey}, not ${logKey.vkey} from the trust material`,
    );
  }
  return { stored, opened };
}

function openUnder(note: string, logKey: NoteVerifier, what: string): OpenedCheckpoint {
  try {
    return openCheckpoint(note, logKey, { witnesses: [], quorum: 0 });
  } catch (error) {
    throw new LogError(
      'LOG_UNVERIFIED',
      `${what} does not verify under the log key ${logKey.vkey}: ${errorText(error)}`,
      { cause: error },
    );
  }
}

/**
 * Refuses a destination that holds anything of a log: another log's identity, a checkpoint (of
 * this log, or an unfinished copy), entries or statements. The identity is claimed here, so two
 * copies of two logs into one destination cannot both pass.
 */
async function claimEmptyDestination(
  log: LogStorePort,
  identity: { origin: string; vkey: string },
): Promise<void> {
  const claimed = await log.claimIdentity(identity);
  if (claimed.vkey !== identity.vkey || claimed.origin !== identity.origin) {
    throw new LogError(
      'LOG_STATE_INVALID',
      `the destination holds another log: ${claimed.origin} (signed by ${claimed.vkey}); copy ${identity.origin} into an empty store`,
    );
  }
  const checkpoint = await log.latestCheckpoint();
  if (checkpoint !== undefined) {
    const unfinished = checkpoint.note === unfinishedCopyNote(identity.origin);
    throw new StoreError(
      'STORE_NOT_EMPTY',
      unfinished
        ? `the destination holds an unfinished copy of ${identity.origin} (${checkpoint.size} entries): empty it (drop and create the database, or remove the directory) and copy again`
        : `the destination already holds ${identity.origin} at size ${checkpoint.size}: copy into an empty store`,
    );
  }
  if ((await log.readEntries(0, 1)).length > 0 || (await log.statementIndexSize()) > 0) {
    throw new StoreError(
      'STORE_NOT_EMPTY',
      'the destination holds entries or statements but no checkpoint: copy into an empty store',
    );
  }
}

/** Entries [start, start + count) as leaves; LOG_UNVERIFIED when the source lacks one. */
async function readLeaves(log: LogStorePort, start: number, count: number): Promise<IndexedLeaf[]> {
  if (count === 0) return [];
  const entries = await log.readEntries(start, count);
  if (entries.length !== count) {
    throw new LogError(
      'LOG_UNVERIFIED',
      `the source lacks entry ${start + entries.length}, though its signed checkpoint covers it`,
    );
  }
  return entries.map((entry, i) => ({ index: start + i, leafHash: leafHash(entry), entry }));
}

/** Reads the destination's checkpoint back: the finished copy must hold the source's. */
async function checkCopiedCheckpoint(
  log: LogStorePort,
  source: StoredCheckpoint,
  logKey: NoteVerifier,
): Promise<void> {
  const copied = await log.latestCheckpoint();
  const opened =
    copied === undefined ? undefined : openUnder(copied.note, logKey, "the copy's checkpoint");
  if (
    copied === undefined ||
    opened === undefined ||
    copied.size !== source.size ||
    !sameHash(copied.rootHash, source.rootHash) ||
    !sameHash(opened.checkpoint.rootHash, source.rootHash)
  ) {
    throw new LogError(
      'LOG_UNVERIFIED',
      `the copy's checkpoint (size ${copied?.size ?? 'none'}) is not the source's signed checkpoint of size ${source.size}: do not use the copy`,
    );
  }
}
