/**
 * The lookup tables (squashfs-tools-ng docs/format.txt §5 "Fragment table", §6 "UID/GID lookup
 * table"): an array of entries in metadata blocks, found through a list of 64-bit block
 * positions that starts at the superblock's table pointer.
 */
import { MetadataReader, METADATA_SIZE, SquashfsCorrupt } from './metadata.js';

/** One fragment block: where it is stored and its stored size (bit 24: uncompressed). */
export interface FragmentEntry {
  readonly start: number;
  readonly size: number;
}

const FRAGMENT_ENTRY = 16;
const ID_ENTRY = 4;

/** The position of the metadata block holding entry `index` of a table of `entrySize` entries. */
function entryCursor(
  image: Buffer,
  reader: MetadataReader,
  tableStart: number,
  index: number,
  entrySize: number,
): ReturnType<MetadataReader['cursor']> {
  const perBlock = METADATA_SIZE / entrySize;
  const pointer = tableStart + Math.floor(index / perBlock) * 8;
  if (pointer + 8 > image.length) throw new SquashfsCorrupt('a table pointer lies past the image');
  const block = Number(image.readBigUInt64LE(pointer));
  return reader.cursor(block, (index % perBlock) * entrySize);
}

/** Entry `index` of the fragment table; the caller has checked it against `fragments`. */
export function readFragmentEntry(
  image: Buffer,
  reader: MetadataReader,
  tableStart: number,
  index: number,
): FragmentEntry {
  const cursor = entryCursor(image, reader, tableStart, index, FRAGMENT_ENTRY);
  const start = cursor.u64();
  const size = cursor.u32();
  return { start, size };
}

/** Every uid/gid of the id table, in order. */
export function readIdTable(
  image: Buffer,
  reader: MetadataReader,
  tableStart: number,
  count: number,
): number[] {
  const ids: number[] = [];
  for (let i = 0; i < count; i += 1)
    ids.push(entryCursor(image, reader, tableStart, i, ID_ENTRY).u32());
  return ids;
}
