/**
 * Test support: a real tlog-tiles copy of a log written to a directory (what a mirror of
 * `nospy serve` holds), built from entries with the tlog core, signed and optionally cosigned.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { signCheckpoint } from '../../tlog/checkpoint.js';
import { cosign } from '../../tlog/cosignature.js';
import { leafHash } from '../../tlog/hash.js';
import { MemoryTree } from '../../tlog/memory-tree.js';
import type { NoteSigner } from '../../tlog/note-key.js';
import {
  encodeEntryBundle,
  entriesPath,
  tileFromHashes,
  tilePath,
  tilesForSize,
  TILE_HEIGHT,
  TILE_WIDTH,
} from '../../tlog/tiles.js';

export interface TilesCopy {
  readonly dir: string;
  readonly tree: MemoryTree;
  readonly note: string;
}

/** `entry i` … for i in [0, count), with a prefix to make another history. */
export function entries(count: number, prefix = 'entry'): Buffer[] {
  return Array.from({ length: count }, (_, i) => Buffer.from(`${prefix} ${i}`));
}

/**
 * Writes `checkpoint`, every tile and every entry bundle of the tree of `list` to `dir`; with
 * `partialsToo`, also the partial tiles of every earlier width (as a server keeps them).
 */
export function writeTilesCopy(
  dir: string,
  list: readonly Buffer[],
  logKey: NoteSigner,
  options: { readonly witnesses?: readonly NoteSigner[]; readonly now?: number } = {},
): TilesCopy {
  const tree = new MemoryTree();
  for (const entry of list) tree.append(leafHash(entry));
  const size = tree.size;
  const write = (path: string, bytes: Buffer | string): void => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), bytes);
  };
  for (const coord of tilesForSize(size)) {
    const hashes = Array.from({ length: coord.width }, (_, i) =>
      tree.read(coord.level * TILE_HEIGHT, coord.index * TILE_WIDTH + i),
    );
    write(tilePath(coord.level, coord.index, coord.width), tileFromHashes(hashes));
    if (coord.level === 0) {
      const start = coord.index * TILE_WIDTH;
      write(
        entriesPath(coord.index, coord.width),
        encodeEntryBundle(list.slice(start, start + coord.width)),
      );
    }
  }
  let note = signCheckpoint(
    { origin: logKey.name, size, rootHash: tree.root(), extensions: [] },
    logKey,
  );
  const text = note.slice(0, note.indexOf('\n\n') + 1);
  for (const witness of options.witnesses ?? [])
    note += cosign(text, witness, options.now ?? 1_767_225_600);
  write('checkpoint', note);
  return { dir, tree, note };
}
