import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { UnpackBudget } from './limits.js';

/** One entry of an unpacked file system. Paths are absolute POSIX paths (`/etc/passwd`). */
export interface TreeEntry {
  readonly path: string;
  readonly type: 'file' | 'dir' | 'symlink' | 'other';
  readonly size: number;
  /** A symlink's target, kept as written (never followed while unpacking). */
  readonly target?: string;
  /** Kept as a blob because a limit stopped unpacking it: not to be unpacked again. */
  readonly opaque?: boolean;
}

/** A read-only file tree: an archive unpacked in memory, or a directory on disk. */
export interface FileTree {
  entries(): readonly TreeEntry[];
  get(path: string): TreeEntry | undefined;
  /** The bytes of a regular file; undefined when it is not one. */
  read(path: string): Buffer | undefined;
}

/**
 * Normalises a member name from an archive to an absolute path inside the tree. Returns
 * undefined when the name climbs above the root (`../`), which an archive has no business
 * doing: such members are rejected, never clamped, so nothing can land outside the root.
 */
export function normaliseMemberPath(name: string): string | undefined {
  const parts: string[] = [];
  for (const part of name.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
      continue;
    }
    if (part.includes('\0')) return undefined;
    parts.push(part);
  }
  return `/${parts.join('/')}`;
}

/** Joins a mount point and an absolute tree path. */
export function mountPath(mount: string, path: string): string {
  if (mount === '/' || mount === '') return path;
  return path === '/' ? mount : `${mount}${path}`;
}

/**
 * A file's bytes as a tree holds them: in memory, or a reader that decodes them when asked (a
 * squashfs file is decompressed from the image only when a rule reads it, so a large image
 * never sits in memory twice). A reader returns undefined when the bytes cannot be decoded,
 * having said why to the unpacking budget.
 */
export type FileBytes = Buffer | (() => Buffer | undefined);

/** An in-memory tree: what the archive decoders produce. */
export class MemoryTree implements FileTree {
  private readonly byPath = new Map<string, { entry: TreeEntry; data?: FileBytes }>();

  entries(): readonly TreeEntry[] {
    return [...this.byPath.values()].map((value) => value.entry);
  }

  get size(): number {
    return this.byPath.size;
  }

  get(path: string): TreeEntry | undefined {
    return this.byPath.get(path)?.entry;
  }

  read(path: string): Buffer | undefined {
    const data = this.byPath.get(path)?.data;
    return typeof data === 'function' ? data() : data;
  }

  /** Adds or replaces an entry; parents are implied, as in tar and cpio. */
  put(entry: TreeEntry, data?: FileBytes): void {
    this.byPath.set(entry.path, data === undefined ? { entry } : { entry, data });
  }

  /** Copies every entry of `other` under `mount`. */
  merge(other: MemoryTree, mount: string): void {
    for (const [path, value] of other.byPath) {
      const at = mountPath(mount, path);
      const entry: TreeEntry = { ...value.entry, path: at };
      this.byPath.set(at, value.data === undefined ? { entry } : { entry, data: value.data });
    }
  }
}

/**
 * A directory on disk, listed once with lstat (symlinks are never followed, so the walk cannot
 * leave the root) and read lazily, one file at a time, so that memory stays flat.
 */
export class DirectoryTree implements FileTree {
  private readonly byPath = new Map<string, TreeEntry>();

  constructor(
    private readonly root: string,
    budget: UnpackBudget,
  ) {
    this.walk('/', 0, budget);
  }

  private walk(dir: string, depth: number, budget: UnpackBudget): void {
    // Directory depth is bounded separately from container depth: a symlink-free tree deeper
    // than this is not a firmware root file system.
    if (depth > 64) {
      budget.warn('limit.depth', dir, 'directory nesting deeper than 64');
      return;
    }
    let names: string[];
    try {
      names = readdirSync(join(this.root, dir)).sort();
    } catch (error) {
      budget.warn('unreadable', dir, (error as Error).message);
      return;
    }
    for (const name of names) {
      const path = dir === '/' ? `/${name}` : `${dir}/${name}`;
      const stat = lstatSync(join(this.root, path));
      if (budget.files >= budget.limits.maxFiles) {
        budget.warn('limit.files', path, `more than ${budget.limits.maxFiles} files`);
        return;
      }
      budget.files += 1;
      if (stat.isSymbolicLink()) {
        this.byPath.set(path, {
          path,
          type: 'symlink',
          size: 0,
          target: readlinkSync(join(this.root, path)),
        });
      } else if (stat.isDirectory()) {
        this.byPath.set(path, { path, type: 'dir', size: 0 });
        this.walk(path, depth + 1, budget);
      } else if (stat.isFile()) {
        this.byPath.set(path, { path, type: 'file', size: stat.size });
      } else {
        this.byPath.set(path, { path, type: 'other', size: 0 });
      }
    }
  }

  entries(): readonly TreeEntry[] {
    return [...this.byPath.values()];
  }

  get(path: string): TreeEntry | undefined {
    return this.byPath.get(path);
  }

  read(path: string): Buffer | undefined {
    const entry = this.byPath.get(path);
    if (entry?.type !== 'file') return undefined;
    return readFileSync(join(this.root, path));
  }
}
