import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import vectors from '../../test/fixtures/tlog-vectors.json' with { type: 'json' };
import { openCheckpoint } from './checkpoint.js';
import { leafHash } from './hash.js';
import { MemoryTree } from './memory-tree.js';
import { parseVerifierKey } from './note-key.js';
import { verifyConsistency, verifyInclusion } from './proof.js';
import {
  decodeEntryBundle,
  encodeEntryBundle,
  entriesPath,
  formatTileIndex,
  hashTileContents,
  MAX_ENTRY_BYTES,
  parseTilePath,
  tileFromHashes,
  tileHashes,
  tileHashReader,
  tilePath,
  tilesAddedBetween,
  tilesForSize,
  TILE_WIDTH,
  type TileCoord,
} from './tiles.js';
import { consistencyProof, inclusionProof, treeRoot } from './tree.js';

const spec = vectors.tile_paths;

/** The tiles of a MemoryTree, as a log would publish them: tile bytes by path. */
function publish(tree: MemoryTree, size: number): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const { level, index, width } of tilesForSize(size)) {
    const hashes = Array.from({ length: width }, (_, i) =>
      tree.read(level * 8, index * TILE_WIDTH + i),
    );
    files.set(tilePath(level, index, width), tileFromHashes(hashes));
  }
  return files;
}

function treeOfSize(n: number): MemoryTree {
  const tree = new MemoryTree();
  for (let i = 0; i < n; i += 1) tree.append(leafHash(Buffer.from(`entry ${i}`)));
  return tree;
}

function readerOver(files: Map<string, Buffer>, size: number) {
  return tileHashReader(size, (level, index, width) => {
    const tile = files.get(tilePath(level, index, width));
    if (tile === undefined) throw new Error(`missing ${tilePath(level, index, width)}`);
    return tile;
  });
}

describe('tlog-tiles', () => {
  describe('published C2SP paths', () => {
    for (const v of spec.c2sp_layout) {
      it(`writes and reads ${v.path}`, () => {
        const path = v.L < 0 ? entriesPath(v.N, v.W) : tilePath(v.L, v.N, v.W);
        expect(path).toBe(v.path);
        const parsed = parseTilePath(v.path);
        expect(parsed).toEqual(
          v.L < 0
            ? { kind: 'entries', index: v.N, width: v.W }
            : { kind: 'hash', level: v.L, index: v.N, width: v.W },
        );
      });
    }
  });

  describe('published x/mod sumdb paths, mapped to C2SP (tile/8/… → tile/…) where the height is 8', () => {
    for (const v of spec.sumdb_layout) {
      it(`${v.invalid === true ? 'rejects' : 'agrees on'} ${v.sumdb_path}`, () => {
        const c2sp = v.sumdb_path
          .replace(/^tile\/\d+\//, 'tile/')
          .replace('tile/data/', 'tile/entries/');
        if (v.invalid === true) {
          expect(() => parseTilePath(c2sp)).toThrow(
            expect.objectContaining({ code: 'TLOG_TILE_PATH_INVALID' }),
          );
          return;
        }
        const width = v.W === 2 ** (v.H ?? 8) ? TILE_WIDTH : v.W!;
        const parsed = parseTilePath(c2sp);
        expect(parsed.index).toBe(v.N);
        expect(parsed.width).toBe(width);
        if (parsed.kind === 'hash') expect(parsed.level).toBe(v.L);
        else expect(v.L).toBe(-1);
      });
    }
  });

  it('formats indexes in 3-digit groups', () => {
    expect(formatTileIndex(0)).toBe('000');
    expect(formatTileIndex(999)).toBe('999');
    expect(formatTileIndex(1000)).toBe('x001/000');
    expect(formatTileIndex(Number.MAX_SAFE_INTEGER)).toBe('x009/x007/x199/x254/x740/991');
  });

  describe('when a path is not canonical', () => {
    const bad = [
      'tile/0/x000/001',
      'tile/0/1',
      'tile/00/001',
      'tile/0/001.p/0',
      'tile/0/001.p/256',
      'tile/0/001.p/012',
      'tile/0/001.p/',
      'tile/64/001',
      'tile/-1/001',
      'tile/0/001/',
      '/tile/0/001',
      'tile/entries/001.p/300',
      'tile/data/001',
      'tile/0/x001',
      'tile/0/0001',
      'tile/0/x009/x007/x199/x254/x740/992',
      'tile/0/x001/x001/x001/x001/x001/x001/001',
      `tile/0/${'x001/'.repeat(20)}001`,
      'tile/0',
      'checkpoint',
    ];
    for (const path of bad) {
      it(`rejects "${path}" with TLOG_TILE_PATH_INVALID`, () => {
        expect(() => parseTilePath(path)).toThrow(
          expect.objectContaining({ code: 'TLOG_TILE_PATH_INVALID' }),
        );
      });
    }
  });

  test.prop([
    fc.nat({ max: Number.MAX_SAFE_INTEGER }),
    fc.nat(10),
    fc.integer({ min: 1, max: 256 }),
  ])('parses every formatted path back to the same tile', (index, level, width) => {
    expect(parseTilePath(tilePath(level, index, width))).toEqual({
      kind: 'hash',
      level,
      index,
      width,
    });
    expect(parseTilePath(entriesPath(index, width))).toEqual({ kind: 'entries', index, width });
  });

  describe('the tiles of a tree size', () => {
    for (const example of spec.c2sp_tree_examples) {
      it(`match the spec's example for size ${example.size}`, () => {
        const tiles = tilesForSize(example.size);
        const at = (level: number) => tiles.filter((t) => t.level === level);
        const full = (level: number) => at(level).filter((t) => t.width === TILE_WIDTH).length;
        const partial = (level: number) => at(level).find((t) => t.width < TILE_WIDTH)?.width ?? 0;
        const want = example.tiles as Record<string, number>;
        expect(full(0)).toBe(want.level0_full);
        expect(partial(0)).toBe(want.level0_partial_width);
        expect(full(1)).toBe(want.level1_full ?? 0);
        expect(partial(1)).toBe(want.level1_partial_width);
        expect(partial(2)).toBe(want.level2_partial_width ?? 0);
        expect(at(3)).toEqual([]);
      });
    }

    it('refuse a tree that shrinks', () => {
      expect(() => tilesAddedBetween(10, 9)).toThrow(
        expect.objectContaining({ code: 'TLOG_INDEX_OUT_OF_RANGE' }),
      );
    });

    it('are none for the empty tree', () => {
      expect(tilesForSize(0)).toEqual([]);
    });

    test.prop([fc.nat(200_000), fc.nat(200_000)], { numRuns: 100 })(
      'added between two sizes are exactly the new tiles',
      (a, b) => {
        const [oldSize, newSize] = a <= b ? [a, b] : [b, a];
        const key = (t: TileCoord) => `${t.level}/${t.index}/${t.width}`;
        const before = new Set(tilesForSize(oldSize).map(key));
        const expected = tilesForSize(newSize).filter((t) => !before.has(key(t)));
        expect(tilesAddedBetween(oldSize, newSize)).toEqual(expected);
      },
    );
  });

  describe('entry bundles', () => {
    it('encode the reference tree exactly as the computed tiles directory', () => {
      const entries = vectors.reference_tree.leaves_hex.map((h) => Buffer.from(h, 'hex'));
      const expected = vectors.computed_here.tiles_dir.files_b64['tile/entries/000.p/8'];
      expect(encodeEntryBundle(entries).toString('base64')).toBe(expected);
      expect(decodeEntryBundle(Buffer.from(expected, 'base64'), 8)).toEqual(entries);
    });

    it(`accept an entry of ${MAX_ENTRY_BYTES} bytes and refuse one byte more with TLOG_ENTRY_TOO_LARGE`, () => {
      const max = Buffer.alloc(MAX_ENTRY_BYTES, 1);
      expect(decodeEntryBundle(encodeEntryBundle([max]), 1)[0]!.equals(max)).toBe(true);
      expect(() => encodeEntryBundle([Buffer.alloc(MAX_ENTRY_BYTES + 1)])).toThrow(
        expect.objectContaining({ code: 'TLOG_ENTRY_TOO_LARGE' }),
      );
    });

    describe('when a bundle is malformed', () => {
      const bundle = encodeEntryBundle([Buffer.from('ab'), Buffer.from('cde')]);
      it('rejects a truncated bundle', () => {
        expect(() => decodeEntryBundle(bundle.subarray(0, bundle.length - 1), 2)).toThrow(
          /claims 3 bytes/,
        );
        expect(() => decodeEntryBundle(bundle.subarray(0, 5), 2)).toThrow(/before entry 1/);
      });
      it('rejects trailing bytes', () => {
        expect(() => decodeEntryBundle(bundle, 1)).toThrow(/after its 1 entries/);
      });
      it('rejects a count outside 1..256', () => {
        expect(() => decodeEntryBundle(bundle, 0)).toThrow(
          expect.objectContaining({ code: 'TLOG_TILE_INVALID' }),
        );
        expect(() => decodeEntryBundle(bundle, 257)).toThrow(
          expect.objectContaining({ code: 'TLOG_TILE_INVALID' }),
        );
      });
    });
  });

  describe('the computed tiles directory of the reference tree', () => {
    const files = new Map(
      Object.entries(vectors.computed_here.tiles_dir.files_b64).map(([path, b64]) => [
        path,
        Buffer.from(b64, 'base64'),
      ]),
    );
    const tree = new MemoryTree();
    for (const leaf of vectors.reference_tree.leaves_hex)
      tree.append(leafHash(Buffer.from(leaf, 'hex')));

    it('is reproduced byte for byte', () => {
      const ours = publish(tree, 8);
      expect([...ours.keys()]).toEqual(['tile/0/000.p/8']);
      expect(ours.get('tile/0/000.p/8')!.equals(files.get('tile/0/000.p/8')!)).toBe(true);
    });

    it('recomputes the root signed in its checkpoint', () => {
      const { checkpoint } = openCheckpoint(
        files.get('checkpoint')!.toString(),
        parseVerifierKey(vectors.computed_here.tiles_dir.vkey),
      );
      expect(
        treeRoot(checkpoint.size, readerOver(files, checkpoint.size)).equals(checkpoint.rootHash),
      ).toBe(true);
    });
  });

  describe('reading stored hashes from tiles', () => {
    const sizes = [1, 2, 255, 256, 257, 511, 512, 513, 700, 65_535, 65_536, 65_537, 65_536 + 300];
    const big = treeOfSize(65_536 + 300);
    for (const size of sizes) {
      it(`gives the same root, inclusion and consistency proofs as the hash store at size ${size}`, () => {
        const reader = readerOver(publish(big, size), size);
        const root = treeRoot(size, reader);
        expect(root.equals(big.root(size))).toBe(true);
        for (const index of new Set([0, size - 1, Math.floor(size / 2), Math.max(0, size - 257)])) {
          const proof = inclusionProof(index, size, reader);
          expect(proof).toEqual(inclusionProof(index, size, big.read));
          verifyInclusion(big.read(0, index), index, size, proof, root);
        }
        for (const old of new Set(
          [1, Math.max(1, size - 1), Math.ceil(size / 3), 256].filter((n) => n <= size),
        )) {
          const proof = consistencyProof(old, size, reader);
          verifyConsistency(old, size, proof, big.root(old), root);
        }
      });
    }

    it('refuses a subtree that is not complete at the size', () => {
      const reader = readerOver(publish(big, 300), 300);
      expect(() => reader(0, 300)).toThrow(
        expect.objectContaining({ code: 'TLOG_INDEX_OUT_OF_RANGE' }),
      );
      expect(() => reader(8, 1)).toThrow(
        expect.objectContaining({ code: 'TLOG_INDEX_OUT_OF_RANGE' }),
      );
    });

    it('rejects a tile of the wrong length with TLOG_TILE_INVALID', () => {
      const reader = tileHashReader(300, () => Buffer.alloc(31));
      expect(() => reader(0, 0)).toThrow(expect.objectContaining({ code: 'TLOG_TILE_INVALID' }));
    });

    test.prop([fc.integer({ min: 1, max: 700 }), fc.nat(), fc.nat(255)], { numRuns: 100 })(
      'detects any flipped bit in any tile, through the root and the hash of each full tile',
      (size, which, bit) => {
        const files = publish(big, size);
        const paths = [...files.keys()];
        const path = paths[which % paths.length]!;
        const tile = Buffer.from(files.get(path)!);
        tile[which % tile.length]! ^= 1 << (bit % 8);
        files.set(path, tile);
        // A full tile is authenticated by its hash one level up, the rest by the root.
        const reader = readerOver(files, size);
        const rootMatches = treeRoot(size, reader).equals(big.root(size));
        const fullTilesMatch = tilesForSize(size)
          .filter((t) => t.width === TILE_WIDTH)
          .every((t) =>
            hashTileContents(files.get(tilePath(t.level, t.index))!).equals(
              reader((t.level + 1) * 8, t.index),
            ),
          );
        expect(rootMatches && fullTilesMatch).toBe(false);
      },
    );
  });

  it('hashes a full tile to the stored hash one tile level up', () => {
    const tree = treeOfSize(512);
    const tile = tileFromHashes(Array.from({ length: 256 }, (_, i) => tree.read(0, 256 + i)));
    expect(hashTileContents(tile).equals(tree.read(8, 1))).toBe(true);
    expect(tileHashes(tile, 256)[255]!.equals(tree.read(0, 511))).toBe(true);
    expect(() => hashTileContents(tile.subarray(32))).toThrow(
      expect.objectContaining({ code: 'TLOG_TILE_INVALID' }),
    );
  });
});
