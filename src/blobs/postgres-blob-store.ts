/**
 * Blobs in the PostgreSQL database, so that every replica of a log serves the same ones. A blob
 * is rows of `blob_chunks` (at most CHUNK_BYTES each) and one row of `blobs` naming its size;
 * both are written in one transaction, the `blobs` row last and only once the digest matched, so
 * a reader never sees a partial or a wrong blob. A body is hashed and written chunk by chunk as
 * it arrives, and read back a chunk per query: a blob is never whole in memory.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { Readable } from 'node:stream';
import { errorText } from '../errors/error-text.js';
import {
  assertSha256Hex,
  DEFAULT_MAX_BLOB_BYTES,
  type BlobPutResult,
  type BlobStorePort,
  type StoredBlob,
} from './blob-store-port.js';
import { BlobError } from './errors.js';
import type { PostgresPool } from '../store/postgres/pool.js';

/** Bytes per stored chunk: large enough that a few MiB SBOM is a handful of rows. */
export const CHUNK_BYTES = 256 * 1024;

export interface PostgresBlobStoreOptions {
  /** A pool on a database the store's migrations have been applied to. */
  readonly pool: PostgresPool;
  readonly maxBytes?: number;
}

export class PostgresBlobStore implements BlobStorePort {
  readonly maxBytes: number;
  readonly #pool: PostgresPool;

  constructor(options: PostgresBlobStoreOptions) {
    this.#pool = options.pool;
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_BLOB_BYTES;
  }

  async has(sha256Hex: string): Promise<boolean> {
    return (await this.#sizeOf(sha256Hex)) !== undefined;
  }

  async get(sha256Hex: string): Promise<StoredBlob | undefined> {
    const size = await this.#sizeOf(sha256Hex);
    if (size === undefined) return undefined;
    const pool = this.#pool;
    async function* chunks(): AsyncGenerator<Buffer> {
      for (let seq = 0; ; seq += 1) {
        const { rows } = await io(`read blob sha256:${sha256Hex}`, () =>
          pool.query<{ data: Buffer }>(
            'SELECT data FROM blob_chunks WHERE digest = $1 AND seq = $2',
            [sha256Hex, seq],
          ),
        );
        const row = rows[0];
        if (row === undefined) return;
        yield row.data;
      }
    }
    return { size, stream: Readable.from(chunks(), { objectMode: false }) };
  }

  /** Every digest, a page at a time in digest order (keyset paging: no offset to rescan). */
  async *digests(): AsyncIterable<string> {
    let after = '';
    for (;;) {
      const { rows } = await io('list blobs', () =>
        this.#pool.query<{ digest: string }>(
          'SELECT digest FROM blobs WHERE digest > $1 ORDER BY digest LIMIT 1000',
          [after],
        ),
      );
      for (const row of rows) yield row.digest;
      const last = rows.at(-1);
      if (last === undefined || rows.length < 1000) return;
      after = last.digest;
    }
  }

  async put(
    sha256Hex: string,
    body: AsyncIterable<Uint8Array> | Uint8Array,
  ): Promise<BlobPutResult> {
    assertSha256Hex(sha256Hex);
    const where = `sha256:${sha256Hex}`;
    const known = (await this.#sizeOf(sha256Hex)) !== undefined;
    const client = await io(where, () => this.#pool.connect());
    let broken = false;
    try {
      await io(where, () => client.query('BEGIN'));
      const hash = createHash('sha256');
      let size = 0;
      let seq = 0;
      let pending: Buffer[] = [];
      let pendingBytes = 0;
      const flush = async (): Promise<void> => {
        if (pendingBytes === 0) return;
        const data = Buffer.concat(pending, pendingBytes);
        pending = [];
        pendingBytes = 0;
        // A blob already stored is still hashed (the body must match its digest) but not rewritten.
        if (known) return;
        const at = seq;
        seq += 1;
        await io(where, () =>
          client.query(
            'INSERT INTO blob_chunks (digest, seq, data) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
            [sha256Hex, at, data],
          ),
        );
      };
      for await (const chunk of body instanceof Uint8Array ? [body] : body) {
        size += chunk.length;
        // Checked per chunk, before writing: an endless body never fills the database.
        if (size > this.maxBytes) {
          throw new BlobError(
            'BLOB_TOO_LARGE',
            `blob sha256:${sha256Hex} is more than the ${this.maxBytes} bytes allowed`,
            { where },
          );
        }
        hash.update(chunk);
        for (let at = 0; at < chunk.length;) {
          const take = Math.min(CHUNK_BYTES - pendingBytes, chunk.length - at);
          pending.push(Buffer.from(chunk.buffer, chunk.byteOffset + at, take));
          pendingBytes += take;
          at += take;
          if (pendingBytes === CHUNK_BYTES) await flush();
        }
      }
      await flush();
      const actual = hash.digest();
      if (!timingSafeEqual(actual, Buffer.from(sha256Hex, 'hex'))) {
        throw new BlobError(
          'BLOB_DIGEST_MISMATCH',
          `the content's digest is sha256:${actual.toString('hex')}, not sha256:${sha256Hex}`,
          { where },
        );
      }
      // Another writer of the same blob may have committed first: then this one adds nothing.
      const inserted = await io(where, () =>
        client.query(
          'INSERT INTO blobs (digest, size) VALUES ($1, $2) ON CONFLICT (digest) DO NOTHING',
          [sha256Hex, size],
        ),
      );
      await io(where, () => client.query('COMMIT'));
      return { created: inserted.rowCount === 1, size };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {
        broken = true;
      });
      throw error;
    } finally {
      client.release(broken);
    }
  }

  async #sizeOf(sha256Hex: string): Promise<number | undefined> {
    assertSha256Hex(sha256Hex);
    const { rows } = await io(`sha256:${sha256Hex}`, () =>
      this.#pool.query<{ size: number }>('SELECT size FROM blobs WHERE digest = $1', [sha256Hex]),
    );
    return rows[0]?.size;
  }
}

async function io<T>(where: string, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (error instanceof BlobError) throw error;
    throw new BlobError('BLOB_IO', `blob store: ${where}: ${errorText(error)}`, {
      where,
      cause: error,
    });
  }
}
