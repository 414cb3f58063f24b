/**
 * The walk from the root inode down every directory of a squashfs image. Directories are
 * entered once each (a hostile image may point an entry back at an ancestor) and no deeper than
 * a root file system ever goes; names that are not a single path component are refused.
 */
import { SquashfsImage, type SquashfsListing } from './image.js';
import { SquashfsCorrupt } from './metadata.js';

/** Directory nesting no firmware root file system reaches (DirectoryTree uses the same). */
export const MAX_DIRECTORY_DEPTH = 64;

/** Why the walk left something out. */
export interface WalkProblem {
  readonly reason: 'corrupt' | 'path_traversal' | 'limit.depth';
  readonly path: string;
  readonly detail: string;
}

/** What the walk hands its visitor; returning false stops the whole walk. */
export type Visit = (path: string, inode: SquashfsListing['inode']) => boolean;

const message = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

/** Walks the tree depth-first in stored (name) order; problems are reported, never thrown. */
export function walkSquashfs(
  fs: SquashfsImage,
  visit: Visit,
  problem: (p: WalkProblem) => void,
): void {
  let root;
  try {
    root = fs.root();
  } catch (error) {
    problem({ reason: 'corrupt', path: '/', detail: `the root inode: ${message(error)}` });
    return;
  }
  if (root.kind !== 'dir') {
    problem({ reason: 'corrupt', path: '/', detail: 'the root inode is not a directory' });
    return;
  }
  if (!visit('/', root)) return;
  const entered = new Set<string>();
  const walk = (
    dir: Extract<typeof root, { kind: 'dir' }>,
    path: string,
    depth: number,
  ): boolean => {
    const key = `${dir.block}:${dir.offset}`;
    if (entered.has(key)) {
      problem({ reason: 'corrupt', path, detail: 'a directory is listed twice (a loop)' });
      return true;
    }
    entered.add(key);
    if (depth > MAX_DIRECTORY_DEPTH) {
      problem({
        reason: 'limit.depth',
        path,
        detail: `directory nesting deeper than ${MAX_DIRECTORY_DEPTH}`,
      });
      return true;
    }
    let entries: SquashfsListing[];
    try {
      entries = fs.list(dir);
    } catch (error) {
      problem({
        reason: 'corrupt',
        path,
        detail: `the directory listing does not read: ${error instanceof SquashfsCorrupt ? error.message : message(error)}`,
      });
      return true;
    }
    for (const { name, inode } of entries) {
      const child = path === '/' ? `/${name}` : `${path}/${name}`;
      if (
        name === '' ||
        name === '.' ||
        name === '..' ||
        name.includes('/') ||
        name.includes('\0')
      ) {
        problem({
          reason: 'path_traversal',
          path: child,
          detail: `entry name ${JSON.stringify(name)} refused`,
        });
        continue;
      }
      if (!visit(child, inode)) return false;
      if (inode.kind === 'dir' && !walk(inode, child, depth + 1)) return false;
    }
    return true;
  };
  walk(root, '/', 0);
}
