import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseBlobDigest } from './blob-store-port.js';
import { BlobError } from './errors.js';
import { FsBlobStore } from './fs-blob-store.js';

const sha = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
const sbom = Buffer.from('{"bomFormat":"CycloneDX","specVersion":"1.6"}');

async function* chunks(...parts: Buffer[]): AsyncIterable<Uint8Array> {
  for (const part of parts) {
    await Promise.resolve();
    yield part;
  }
}

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof BlobError) return error.code;
    throw error;
  }
  return undefined;
}

async function read(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(Buffer.from(part as Buffer));
  return Buffer.concat(parts);
}

describe('the file-system blob store', () => {
  let root: string;
  let store: FsBlobStore;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'nospy-blobs-'));
    store = new FsBlobStore({ root, maxBytes: 1024 });
  });
  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('stores a blob under sha256/<2 hex>/<62 hex> and reads it back', async () => {
    const digest = sha(sbom);
    expect(await store.put(digest, chunks(sbom.subarray(0, 10), sbom.subarray(10)))).toEqual({
      created: true,
      size: sbom.length,
    });
    expect(readFileSync(join(root, 'sha256', digest.slice(0, 2), digest.slice(2)))).toEqual(sbom);
    const blob = await store.get(digest);
    expect(blob?.size).toBe(sbom.length);
    expect(await read(blob!.stream)).toEqual(sbom);
  });

  it('is idempotent: a second put of the same content reports created: false', async () => {
    await store.put(sha(sbom), sbom);
    expect(await store.put(sha(sbom), sbom)).toEqual({ created: false, size: sbom.length });
  });

  it('rejects content that does not match its digest and leaves nothing behind', async () => {
    const other = sha(Buffer.from('other'));
    expect(await codeOf(store.put(other, sbom))).toBe('BLOB_DIGEST_MISMATCH');
    expect(await store.has(other)).toBe(false);
    expect(readdirSync(join(root, 'tmp'))).toEqual([]);
  });

  it('stops reading a body past its bound with BLOB_TOO_LARGE and leaves nothing behind', async () => {
    const big = Buffer.alloc(2048, 1);
    expect(
      await codeOf(store.put(sha(big), chunks(big.subarray(0, 1000), big.subarray(1000)))),
    ).toBe('BLOB_TOO_LARGE');
    expect(await store.has(sha(big))).toBe(false);
    expect(readdirSync(join(root, 'tmp'))).toEqual([]);
  });

  it('answers undefined for a blob it does not hold', async () => {
    expect(await store.get(sha(Buffer.from('nothing')))).toBeUndefined();
  });

  it('parses sha256:<hex> digests and rejects every other spelling with BLOB_DIGEST_INVALID', async () => {
    expect(parseBlobDigest(`sha256:${'a'.repeat(64)}`)).toBe('a'.repeat(64));
    for (const bad of [
      `sha256:${'A'.repeat(64)}`,
      `sha512:${'a'.repeat(64)}`,
      'sha256:abc',
      'a'.repeat(64),
    ]) {
      expect(() => parseBlobDigest(bad)).toThrow(BlobError);
    }
    expect(await codeOf(store.put('../../etc/passwd', sbom))).toBe('BLOB_DIGEST_INVALID');
  });
});
