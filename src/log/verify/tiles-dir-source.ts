/**
 * A static copy of a log's tlog-tiles files in a directory (a mirror, an archive handed to an
 * auditor) as a {@link LogSource}: `<dir>/checkpoint`, `<dir>/tile/…`.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UnverifiedLogError } from './log-source.js';
import { TilesLogSource } from './tiles-log-source.js';

/** True when `dir` looks like a tiles copy: a `checkpoint` file or a `tile/` directory. */
export function isTilesDirectory(dir: string): boolean {
  return existsSync(join(dir, 'checkpoint')) || existsSync(join(dir, 'tile'));
}

export function tilesDirSource(dir: string): TilesLogSource {
  const description = `the tiles in ${dir}`;
  return new TilesLogSource(description, 1, (path, limit, failed) => {
    // Paths are built by tilePath/entriesPath: canonical, relative, no "..".
    const file = join(dir, path);
    let size: number;
    try {
      const stat = statSync(file);
      if (!stat.isFile()) return Promise.resolve(undefined);
      size = stat.size;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return Promise.resolve(undefined);
      throw error;
    }
    if (size > limit) {
      throw new UnverifiedLogError(
        failed,
        `${description}: ${path} is ${size} bytes, more than the ${limit} it can be`,
      );
    }
    return Promise.resolve(readFileSync(file));
  });
}
