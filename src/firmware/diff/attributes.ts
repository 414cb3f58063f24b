/**
 * What a container records about each member besides its bytes: modification time, mode,
 * owner. Two builds that differ only here are equivalent (every file's bytes are the same); the
 * diff says which attribute differs.
 */
import { lstatSync } from 'node:fs';
import { join } from 'node:path';
import type { Cause } from './classification.js';
import type { FileTree } from '../tree.js';

export interface EntryAttributes {
  /** Seconds since the epoch (a squashfs listing gives minutes: seconds are then 0). */
  readonly mtime?: number;
  /** Permission bits (`mode & 0o7777`). */
  readonly mode?: number;
  readonly uid?: number;
  readonly gid?: number;
  readonly user?: string;
  readonly group?: string;
}

/** Attributes by absolute tree path. */
export type AttributeMap = ReadonlyMap<string, EntryAttributes>;

/** The metadata causes that tell two members' attributes apart (only fields both record). */
export function attributeCauses(a: EntryAttributes, b: EntryAttributes): Cause[] {
  const differs = (key: keyof EntryAttributes): boolean =>
    a[key] !== undefined && b[key] !== undefined && a[key] !== b[key];
  const causes: Cause[] = [];
  if (differs('mtime')) causes.push('timestamps');
  if (differs('uid') || differs('gid') || differs('user') || differs('group'))
    causes.push('ownership');
  if (differs('mode')) causes.push('permissions');
  return causes;
}

/**
 * The attributes of every entry of an unpacked directory, from lstat (links are not followed).
 * Owner names are not looked up: the numbers are what a file system records.
 */
export function directoryAttributes(root: string, tree: FileTree): Map<string, EntryAttributes> {
  const out = new Map<string, EntryAttributes>();
  for (const entry of tree.entries()) {
    try {
      const stat = lstatSync(join(root, entry.path));
      out.set(entry.path, {
        mtime: Math.floor(stat.mtimeMs / 1000),
        mode: stat.mode & 0o7777,
        uid: stat.uid,
        gid: stat.gid,
      });
    } catch {
      // Gone since the walk: its bytes are compared (and found missing) by the caller.
    }
  }
  return out;
}
