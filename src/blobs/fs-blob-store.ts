/**
 * The file-system blob store: `<root>/sha256/<first 2 hex>/<other 62 hex>`. A write goes to a
 * temporary file under `<root>/tmp`, is hashed while it is written, fsynced, and renamed into
 * place only when its digest matches (rename is atomic within one file system), then the
 * directory is fsynced so the rename survives a crash. A reader never sees a partial blob.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import {
  assertSha256Hex,
  DEFAULT_MAX_BLOB_BYTES,
  type BlobPutResult,
  type BlobStorePort,
  type StoredBlob,
} from './blob-store-port.js';
import { BlobError } from './errors.js';

export interface FsBlobStoreOptions {
  /** The store's root, usually `<data directory>/blobs`. */
  readonly root: string;
  readonly maxBytes?: number;
}

export class FsBlobStore implements BlobStorePort {
  readonly root: string;
  readonly maxBytes: number;

  constructor(options: FsBlobStoreOptions) {
    this.root = options.root;
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_BLOB_BYTES;
  }

  /** Where a blob lives; exported for operators who back the store up. */
  pathOf(sha256Hex: string): string {
    assertSha256Hex(sha256Hex);
    return join(this.root, 'sha256', sha256Hex.slice(0, 2), sha256Hex.slice(2));
  }

  async has(sha256Hex: string): Promise<boolean> {
    return (await sizeOf(this.pathOf(sha256Hex))) !== undefined;
  }

  async get(sha256Hex: string): Promise<StoredBlob | undefined> {
    const path = this.pathOf(sha256Hex);
    const size = await sizeOf(path);
    if (size === undefined) return undefined;
    return { size, stream: createReadStream(path) };
  }

  /** Walks `sha256/<2 hex>/<62 hex>`; anything else there (a stray file) is not a blob. */
  async *digests(): AsyncIterable<string> {
    const top = join(this.root, 'sha256');
    for (const prefix of await listDir(top)) {
      if (!/^[0-9a-f]{2}$/.test(prefix)) continue;
      for (const rest of await listDir(join(top, prefix))) {
        if (/^[0-9a-f]{62}$/.test(rest)) yield prefix + rest;
      }
    }
  }

  async put(
    sha256Hex: string,
    body: AsyncIterable<Uint8Array> | Uint8Array,
  ): Promise<BlobPutResult> {
    const target = this.pathOf(sha256Hex);
    const tmpDir = join(this.root, 'tmp');
    await io(() => mkdir(tmpDir, { recursive: true }), tmpDir);
    const temp = join(tmpDir, `${sha256Hex.slice(0, 16)}.${randomBytes(8).toString('hex')}`);
    const file = await io(() => open(temp, 'wx', 0o644), temp);
    let size = 0;
    let closed = false;
    try {
      const hash = createHash('sha256');
      const chunks = body instanceof Uint8Array ? [body] : body;
      for await (const chunk of chunks) {
        size += chunk.length;
        // Checked per chunk, before writing: an endless body never fills the disk.
        if (size > this.maxBytes) {
          throw new BlobError(
            'BLOB_TOO_LARGE',
            `blob sha256:${sha256Hex} is more than the ${this.maxBytes} bytes allowed`,
            { where: `sha256:${sha256Hex}` },
          );
        }
        hash.update(chunk);
        await io(() => file.write(chunk), temp);
      }
      const actual = hash.digest();
      if (!timingSafeEqual(actual, Buffer.from(sha256Hex, 'hex'))) {
        throw new BlobError(
          'BLOB_DIGEST_MISMATCH',
          `the content's digest is sha256:${actual.toString('hex')}, not sha256:${sha256Hex}`,
          { where: `sha256:${sha256Hex}` },
        );
      }
      await io(() => file.sync(), temp);
      await file.close();
      closed = true;
      if ((await sizeOf(target)) !== undefined) {
        await unlink(temp);
        return { created: false, size };
      }
      const dir = join(this.root, 'sha256', sha256Hex.slice(0, 2));
      await io(() => mkdir(dir, { recursive: true }), dir);
      await io(() => rename(temp, target), target);
      await syncDirectory(dir);
      return { created: true, size };
    } catch (error) {
      if (!closed) await file.close().catch(() => undefined);
      await unlink(temp).catch(() => undefined);
      throw error;
    }
  }
}

async function listDir(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new BlobError('BLOB_IO', `cannot list ${dir}: ${(error as Error).message}`, {
      where: dir,
      cause: error,
    });
  }
}

async function sizeOf(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new BlobError('BLOB_IO', `cannot read ${path}: ${(error as Error).message}`, {
      where: path,
      cause: error,
    });
  }
}

async function syncDirectory(dir: string): Promise<void> {
  const handle = await io(() => open(dir, 'r'), dir);
  try {
    await io(() => handle.sync(), dir);
  } finally {
    await handle.close();
  }
}

async function io<T>(operation: () => Promise<T>, where: string): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (error instanceof BlobError) throw error;
    throw new BlobError('BLOB_IO', `blob store: ${where}: ${(error as Error).message}`, {
      where,
      cause: error,
    });
  }
}
