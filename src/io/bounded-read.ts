/**
 * The one way nospy reads a whole input file into memory. The size limit is checked against the
 * bytes actually read, never only against `stat().size`: a pipe, a device (`/dev/zero`), a
 * process substitution (`<(cat file)`) or a file still growing reports a size of 0 or less than
 * it holds, and reading such a thing "to the end" grows the process without bound.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { InputError } from './errors.js';

/** Bytes asked of the kernel per read: small enough that stopping at the limit wastes little. */
const CHUNK_BYTES = 64 * 1024;

/**
 * A cap on every input file, lower than any reader's own limit, set by the CLI from
 * `NOSPY_MAX_INPUT_BYTES` (an operator's fence for a shared machine, and how tests feed
 * `/dev/zero` to a command without reading a gigabyte of it first).
 */
let inputCap: number | undefined;

/** Lowers every input limit to `bytes` (undefined: each reader's own limit). */
export function capInputBytes(bytes: number | undefined): void {
  inputCap = bytes;
}

/** The limit a read with `limit` applies: its own, or the cap when that is lower. */
export function effectiveLimit(limit: number): number {
  return inputCap === undefined ? limit : Math.min(limit, inputCap);
}

export interface BoundedReadOptions {
  /** Most bytes accepted; one more is an error naming the file and the limit. */
  readonly maxBytes: number;
  /** What the file is, for messages ("image", "inventory"); "file" when not given. */
  readonly what?: string;
  /**
   * Turns the reader's InputError into the caller's domain error (its code for "too large",
   * "unreadable"), keeping the message; without it the InputError is thrown as is.
   */
  readonly failure?: (error: InputError) => Error;
}

/**
 * Reads the file, pipe or device at `path` whole, counting bytes as it reads and stopping as
 * soon as they pass the limit. Throws InputError for a missing path, a directory, an unreadable
 * file and one over the limit; each message names the path.
 */
export function readBoundedFile(path: string, options: BoundedReadOptions): Buffer {
  return mapped(options, () => readWithin(path, options));
}

function readWithin(path: string, options: BoundedReadOptions): Buffer {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw openError(path, options.what ?? 'file', error);
  }
  try {
    return readFrom(fd, path, options);
  } finally {
    closeSync(fd);
  }
}

/**
 * readBoundedFile for a file the caller has opened (and closes): a pipe can be opened only once,
 * so a caller that must look at what it was given (fstat) before reading it reads through this.
 */
export function readBoundedFrom(fd: number, path: string, options: BoundedReadOptions): Buffer {
  return mapped(options, () => readFrom(fd, path, options));
}

function mapped(options: BoundedReadOptions, read: () => Buffer): Buffer {
  if (options.failure === undefined) return read();
  try {
    return read();
  } catch (error) {
    throw error instanceof InputError ? options.failure(error) : error;
  }
}

function readFrom(fd: number, path: string, options: BoundedReadOptions): Buffer {
  const limit = effectiveLimit(options.maxBytes);
  const what = options.what ?? 'file';
  const stat = fstatSync(fd);
  if (stat.isDirectory()) {
    throw new InputError('INPUT_IS_DIRECTORY', `${path}: is a directory, not a file`, {
      where: path,
    });
  }
  // A regular file's size is a promise it may break (it can grow), but when it already says
  // too much there is no need to read it.
  if (stat.isFile() && stat.size > limit) throw tooLarge(path, what, limit, stat.size);
  return readAll(fd, path, what, limit, stat.isFile() ? stat.size : 0);
}

/** Reads `path` as UTF-8 text within the limit (see readBoundedFile). */
export function readBoundedText(path: string, options: BoundedReadOptions): string {
  return readBoundedFile(path, options).toString('utf8');
}

function readAll(fd: number, path: string, what: string, limit: number, hint: number): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    // Ask for one byte past the limit, never more, so the excess is seen without being held.
    // A regular file is read in one piece of the size it states (plus one byte, to see growth).
    const want = Math.min(total === 0 && hint > 0 ? hint + 1 : CHUNK_BYTES, limit + 1 - total);
    const chunk = Buffer.allocUnsafe(want);
    const got = readChunk(fd, chunk, path, what);
    if (got === 0) break;
    total += got;
    if (total > limit) throw tooLarge(path, what, limit, undefined);
    chunks.push(got === chunk.length ? chunk : chunk.subarray(0, got));
  }
  return chunks.length === 1 && chunks[0] !== undefined ? chunks[0] : Buffer.concat(chunks, total);
}

function readChunk(fd: number, into: Buffer, path: string, what: string): number {
  for (;;) {
    try {
      return readSync(fd, into, 0, into.length, null);
    } catch (error) {
      // A non-blocking pipe (stdin shared with a parent) has nothing yet: wait, then ask again.
      if ((error as NodeJS.ErrnoException).code === 'EAGAIN') {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
        continue;
      }
      throw new InputError(
        'INPUT_UNREADABLE',
        `${path}: cannot read the ${what}: ${reason(error)}`,
        {
          where: path,
          cause: error,
        },
      );
    }
  }
}

function tooLarge(path: string, what: string, limit: number, size: number | undefined): InputError {
  const message =
    size === undefined
      ? `${path}: the ${what} holds more than the limit of ${limit} bytes (reading stopped there)`
      : `${path}: the ${what} holds ${size} bytes, more than the limit of ${limit}`;
  return new InputError('INPUT_TOO_LARGE', message, { where: path });
}

function openError(path: string, what: string, error: unknown): InputError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') {
    return new InputError('INPUT_NOT_FOUND', `${path}: cannot read the ${what}: no such file`, {
      where: path,
      cause: error,
    });
  }
  if (code === 'EISDIR') {
    return new InputError('INPUT_IS_DIRECTORY', `${path}: is a directory, not a file`, {
      where: path,
      cause: error,
    });
  }
  return new InputError('INPUT_UNREADABLE', `${path}: cannot open the ${what}: ${reason(error)}`, {
    where: path,
    cause: error,
  });
}

function reason(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  return e.code ?? (error instanceof Error ? error.message : String(error));
}
