/**
 * The OSV bucket's per-ecosystem `all.zip`, read through the bounded zip reader (src/zip) from
 * the file by position; its problems become OSV errors.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import {
  DEFAULT_ZIP_LIMITS,
  readZipDirectory,
  readZipEntry,
  ZipFormatError,
  type ZipLimits,
  type ZipSource,
} from '../zip/zip-archive.js';
import { OsvError } from './errors.js';

export { DEFAULT_ZIP_LIMITS, type ZipLimits };

/** One entry: its bytes, or why it was skipped (the archive as a whole stays readable). */
export type ZipEntry =
  | { readonly name: string; readonly data: Buffer }
  | { readonly name: string; readonly skipped: string };

class PositionalFile implements ZipSource {
  readonly size: number;
  constructor(private readonly fd: number) {
    this.size = fstatSync(fd).size;
  }
  read(offset: number, length: number, what: string): Buffer {
    if (offset < 0 || length < 0 || offset + length > this.size)
      throw new ZipFormatError('invalid', `${what} lies outside the file`, offset);
    const buffer = Buffer.alloc(length);
    let done = 0;
    while (done < length) {
      const n = readSync(this.fd, buffer, done, length - done, offset + done);
      if (n === 0) break;
      done += n;
    }
    return buffer;
  }
}

function osvError(path: string, error: ZipFormatError): OsvError {
  return new OsvError(
    error.kind === 'limit' ? 'OSV_LIMIT' : 'OSV_ZIP_INVALID',
    `${path}: ${error.message}`,
    {
      where: error.offset === undefined ? path : `${path}@${error.offset}`,
      cause: error,
    },
  );
}

/**
 * Reads every file entry of a zip archive, in central-directory order. Throws OsvError for an
 * archive that is not a zip or breaks a bound as a whole; an entry that cannot be read is
 * yielded as skipped with the reason, and the rest are still read.
 */
export function* readZipEntries(
  path: string,
  limits: ZipLimits = DEFAULT_ZIP_LIMITS,
): Generator<ZipEntry> {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw new OsvError('OSV_UNREADABLE', `${path}: ${(error as Error).message}`, {
      where: path,
      cause: error,
    });
  }
  try {
    const file = new PositionalFile(fd);
    let total = 0;
    for (const entry of readZipDirectory(file, limits)) {
      if (entry.name.endsWith('/')) continue;
      total += entry.size;
      if (total > limits.maxTotalBytes) {
        throw new OsvError(
          'OSV_LIMIT',
          `${path}: more than ${limits.maxTotalBytes} uncompressed bytes in total`,
        );
      }
      const result = readZipEntry(file, entry, limits);
      yield typeof result === 'string'
        ? { name: entry.name, skipped: result }
        : { name: entry.name, data: result };
    }
  } catch (error) {
    throw error instanceof ZipFormatError ? osvError(path, error) : error;
  } finally {
    closeSync(fd);
  }
}
