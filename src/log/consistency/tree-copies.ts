/**
 * Tree copies for the consistency check: the log just verified (its tiles in memory, or read
 * again from its source for the few a proof needs) and another server's copy of its tree. A copy
 * is not trusted for its proofs: `crossCheck` runs each path and keeps it only when it leads to
 * the copy's signed root.
 */
import { tileWidthAt } from '../../tlog/tiles.js';
import { fullConsistencyPath } from '../../tlog/tree.js';
import { TreeReader } from '../tree-reader.js';
import type { LogSource } from '../verify/log-source.js';
import { verifiedHashReader, type TileSet } from '../verify/verify-log.js';
import type { ObservedCheckpoint, TreeCopy } from './cross-check.js';

/** A copy whose every tile (level 0 included) is in `tiles`, verified at `seen`'s size. */
export function tilesTreeCopy(seen: ObservedCheckpoint, tiles: TileSet): TreeCopy {
  const size = seen.opened.size;
  return {
    seen,
    fullConsistencyPath: (m) =>
      Promise.resolve(fullConsistencyPath(m, size, verifiedHashReader(size, tiles))),
  };
}

/** A copy read from `source` (a log server, a data directory) as far as each proof needs. */
export function sourceTreeCopy(seen: ObservedCheckpoint, source: LogSource): TreeCopy {
  const size = seen.opened.size;
  const reader = new TreeReader((level, index) =>
    source.readTile(level, index, tileWidthAt(level, index, size)),
  );
  return {
    seen,
    fullConsistencyPath: (m) => reader.compute(size, (read) => fullConsistencyPath(m, size, read)),
  };
}
