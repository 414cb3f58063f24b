/**
 * Where `nospy check` reads the documents releases name by digest (SBOMs, MUD files): a blob
 * store directory (src/blobs, `<log data directory>/blobs` by default) or a server's
 * `GET /v1/blobs/sha256:<hex>`. Every blob is hashed on arrival and compared with the digest
 * asked for: a store, local or remote, is never trusted to hand back what was named.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_MAX_BLOB_BYTES } from '../../blobs/blob-store-port.js';
import { FsBlobStore } from '../../blobs/fs-blob-store.js';
import { CheckError } from '../errors.js';

const TIMEOUT_MS = 30_000;

export interface BlobSource {
  /** The directory or URL, for messages. */
  readonly where: string;
  /** The blob's bytes, verified against its digest; undefined when the source does not hold it. */
  get(sha256Hex: string): Promise<Buffer | undefined>;
  /** A file holding the blob (for readers that take a path); undefined when not held. */
  file(sha256Hex: string): Promise<string | undefined>;
  /** Removes any temporary files. Idempotent. */
  close(): void;
}

/** A blob source for a directory or an http(s) URL (the server's root, before `/v1/blobs`). */
export function openBlobSource(location: string): BlobSource {
  return /^https?:\/\//i.test(location) ? httpSource(location) : fsSource(location);
}

function verified(where: string, hex: string, bytes: Buffer): Buffer {
  const actual = createHash('sha256').update(bytes).digest();
  if (!timingSafeEqual(actual, Buffer.from(hex, 'hex'))) {
    throw new CheckError(
      'CHECK_DATA_CORRUPT',
      `the blob store at ${where} returned content with digest sha256:${actual.toString('hex')} for sha256:${hex}`,
      { where: `${where} sha256:${hex}` },
    );
  }
  return bytes;
}

async function readAll(stream: AsyncIterable<Uint8Array>, limit: number, where: string) {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += chunk.length;
    if (size > limit) throw tooLarge(where, limit);
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}

function tooLarge(where: string, limit: number): CheckError {
  return new CheckError('CHECK_DATA_CORRUPT', `${where} is more than ${limit} bytes`, { where });
}

function fsSource(root: string): BlobSource {
  const store = new FsBlobStore({ root });
  return {
    where: root,
    async get(hex) {
      const blob = await store.get(hex);
      if (blob === undefined) return undefined;
      if (blob.size > DEFAULT_MAX_BLOB_BYTES) {
        blob.stream.destroy();
        throw tooLarge(store.pathOf(hex), DEFAULT_MAX_BLOB_BYTES);
      }
      return verified(root, hex, await readAll(blob.stream, DEFAULT_MAX_BLOB_BYTES, root));
    },
    async file(hex) {
      return (await this.get(hex)) === undefined ? undefined : store.pathOf(hex);
    },
    close() {
      // Nothing temporary: the store's own files are read in place.
    },
  };
}

function httpSource(url: string): BlobSource {
  const base = url.replace(/\/+$/, '');
  let temp: string | undefined;
  const source: BlobSource = {
    where: `${base}/v1/blobs`,
    async get(hex) {
      const target = `${base}/v1/blobs/sha256:${hex}`;
      let response: Response;
      try {
        response = await fetch(target, { signal: AbortSignal.timeout(TIMEOUT_MS) });
      } catch (error) {
        throw new CheckError(
          'CHECK_LOG_UNREACHABLE',
          `the blob store at ${target} cannot be reached: ${(error as Error).message}`,
          { where: target, cause: error },
        );
      }
      if (response.status === 404) {
        await response.body?.cancel();
        return undefined;
      }
      if (response.status !== 200 || response.body === null) {
        await response.body?.cancel();
        throw new CheckError(
          'CHECK_LOG_UNREACHABLE',
          `the blob store at ${target} answered ${response.status}`,
          { where: target },
        );
      }
      const declared = Number(response.headers.get('content-length') ?? '0');
      if (declared > DEFAULT_MAX_BLOB_BYTES) {
        await response.body.cancel();
        throw tooLarge(target, DEFAULT_MAX_BLOB_BYTES);
      }
      return verified(base, hex, await readAll(response.body, DEFAULT_MAX_BLOB_BYTES, target));
    },
    async file(hex) {
      const bytes = await source.get(hex);
      if (bytes === undefined) return undefined;
      temp ??= mkdtempSync(join(tmpdir(), 'nospy-check-blobs-'));
      const path = join(temp, hex);
      writeFileSync(path, bytes);
      return path;
    },
    close() {
      if (temp !== undefined) rmSync(temp, { recursive: true, force: true });
      temp = undefined;
    },
  };
  return source;
}
