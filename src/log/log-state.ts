import { EMPTY_ROOT } from '../tlog/hash.js';
import { treeRoot } from '../tlog/tree.js';
import { openCheckpoint } from '../tlog/checkpoint.js';
import { sameHash } from '../tlog/proof.js';
import type { NoteSigner } from '../tlog/note-key.js';
import type { LogStorePort, StoredCheckpoint } from '../store/log-store-port.js';
import { LogError } from './errors.js';
import { TileBuilder } from './tile-builder.js';
import { TreeReader } from './tree-reader.js';
import { TILE_WIDTH } from '../tlog/tiles.js';

/** The in-memory right edge of a stored log, rebuilt and checked on every start. */
export interface LogState {
  readonly checkpoint: StoredCheckpoint;
  /** frontier[k] = the last complete subtree hash at tree level k (all the appends ever read). */
  readonly frontier: Buffer[];
  readonly tiles: TileBuilder;
  /** True when the store held no checkpoint yet. */
  readonly fresh: boolean;
}

/**
 * Loads the log in `store` for signing with `signer`, refusing (LOG_STATE_INVALID) when the
 * store belongs to another key, when its checkpoint does not verify under this key, or when the
 * stored tiles do not reproduce the checkpoint's root — signing on top of such a state could
 * produce a checkpoint inconsistent with one published before.
 */
export async function loadLogState(store: LogStorePort, signer: NoteSigner): Promise<LogState> {
  const identity = await store.claimIdentity({ origin: signer.name, vkey: signer.vkey });
  if (identity.vkey !== signer.vkey) {
    throw new LogError(
      'LOG_STATE_INVALID',
      `this store holds another log: ${identity.origin} (signed by ${identity.vkey}); refusing to sign it as ${signer.name} with ${signer.vkey}`,
    );
  }
  const stored = await store.latestCheckpoint();
  if (stored === undefined) {
    return {
      checkpoint: { size: 0, rootHash: Buffer.from(EMPTY_ROOT), note: '', cosignedNote: undefined },
      frontier: [],
      tiles: new TileBuilder(),
      fresh: true,
    };
  }
  const opened = (() => {
    try {
      return openCheckpoint(stored.note, signer, { witnesses: [], quorum: 0 });
    } catch (error) {
      throw new LogError(
        'LOG_STATE_INVALID',
        `the stored checkpoint does not verify under ${signer.vkey}: ${(error as Error).message}`,
        { cause: error },
      );
    }
  })();
  const { size } = stored;
  if (opened.checkpoint.size !== size || !sameHash(opened.checkpoint.rootHash, stored.rootHash)) {
    throw new LogError(
      'LOG_STATE_INVALID',
      `the stored checkpoint note (size ${opened.checkpoint.size}) disagrees with its row (size ${size})`,
    );
  }
  const reader = new TreeReader((level, index) => store.readTile(level, index), {
    maxCachedTiles: 64,
  });
  const { frontier, root } = await reader.compute(size, (read) => {
    const hashes: Buffer[] = [];
    for (let level = 0; 2 ** level <= size; level += 1) {
      hashes[level] = read(level, Math.floor(size / 2 ** level) - 1);
    }
    return { frontier: hashes, root: treeRoot(size, read) };
  });
  if (!sameHash(root, stored.rootHash)) {
    throw new LogError(
      'LOG_STATE_INVALID',
      `the stored tiles give the root ${root.toString('base64')} for size ${size}, but the signed checkpoint says ${stored.rootHash.toString('base64')}; refusing to sign anything on top of it`,
    );
  }
  const tiles = new TileBuilder();
  for (let level = 0; TILE_WIDTH ** level <= size; level += 1) {
    const atLevel = Math.floor(size / TILE_WIDTH ** level);
    const width = atLevel % TILE_WIDTH;
    const index = Math.floor(atLevel / TILE_WIDTH);
    if (width === 0) continue;
    const row = await store.readTile(level, index);
    if (row === undefined || row.length < width * 32) {
      throw new LogError(
        'LOG_STATE_INVALID',
        `tile ${level}/${index} holds ${(row?.length ?? 0) / 32} hashes; the checkpoint of size ${size} needs ${width}`,
      );
    }
    tiles.restore(level, index, row.subarray(0, width * 32));
  }
  return { checkpoint: stored, frontier, tiles, fresh: false };
}
