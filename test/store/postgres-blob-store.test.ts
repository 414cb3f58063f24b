import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PostgresBlobStore, CHUNK_BYTES } from '../../src/blobs/postgres-blob-store.js';
import { migrate } from '../../src/store/postgres/migrations.js';
import { openPostgresPool, type PostgresPool } from '../../src/store/postgres/pool.js';
import { requireTools } from '../helpers/require-tools.js';
import { createTestDatabase, queryDatabase, type TestDatabase } from '../helpers/postgres.js';

const sha = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
const sbom = Buffer.from('{"bomFormat":"CycloneDX","specVersion":"1.6"}');

async function* chunks(...parts: Buffer[]): AsyncIterable<Uint8Array> {
  for (const part of parts) {
    await Promise.resolve();
    yield part;
  }
}

async function read(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(Buffer.from(part as Buffer));
  return Buffer.concat(parts);
}

describe('the PostgreSQL blob store', () => {
  requireTools('postgresql');
  let database: TestDatabase;
  let pool: PostgresPool;
  let store: PostgresBlobStore;
  beforeEach(async () => {
    database = await createTestDatabase();
    pool = await openPostgresPool(database.url, { max: 2 });
    await migrate(pool);
    store = new PostgresBlobStore({ pool, maxBytes: 4 * CHUNK_BYTES });
  });
  afterEach(async () => {
    await pool.end();
    await database.drop();
  });

  it('stores a blob and reads it back', async () => {
    const digest = sha(sbom);
    expect(await store.put(digest, chunks(sbom.subarray(0, 10), sbom.subarray(10)))).toEqual({
      created: true,
      size: sbom.length,
    });
    const blob = await store.get(digest);
    expect(blob?.size).toBe(sbom.length);
    expect(await read(blob!.stream)).toEqual(sbom);
    expect(await store.has(digest)).toBe(true);
  });

  it('keeps a large blob as chunk rows, however the body was cut, and streams it back whole', async () => {
    const big = Buffer.alloc(2 * CHUNK_BYTES + 1000);
    for (let i = 0; i < big.length; i += 1) big[i] = (i * 7) % 251;
    const digest = sha(big);
    await store.put(
      digest,
      chunks(big.subarray(0, 1000), big.subarray(1000, 300_000), big.subarray(300_000)),
    );
    const rows = await queryDatabase<{ seq: number; bytes: number }>(
      database.url,
      'SELECT seq, length(data) AS bytes FROM blob_chunks WHERE digest = $1 ORDER BY seq',
      [digest],
    );
    expect(rows).toEqual([
      { seq: 0, bytes: CHUNK_BYTES },
      { seq: 1, bytes: CHUNK_BYTES },
      { seq: 2, bytes: 1000 },
    ]);
    expect(await read((await store.get(digest))!.stream)).toEqual(big);
  });

  it('is idempotent: a second put of the same content reports created: false', async () => {
    await store.put(sha(sbom), sbom);
    expect(await store.put(sha(sbom), sbom)).toEqual({ created: false, size: sbom.length });
  });

  it('rejects content that does not match its digest and leaves nothing behind', async () => {
    const other = sha(Buffer.from('other'));
    await expect(store.put(other, sbom)).rejects.toMatchObject({ code: 'BLOB_DIGEST_MISMATCH' });
    expect(await store.has(other)).toBe(false);
    expect(await queryDatabase(database.url, 'SELECT 1 FROM blob_chunks')).toEqual([]);
  });

  it('stops reading a body past its bound with BLOB_TOO_LARGE and leaves nothing behind', async () => {
    const big = Buffer.alloc(4 * CHUNK_BYTES + 1, 1);
    await expect(
      store.put(sha(big), chunks(big.subarray(0, 3 * CHUNK_BYTES), big.subarray(3 * CHUNK_BYTES))),
    ).rejects.toMatchObject({ code: 'BLOB_TOO_LARGE' });
    expect(await store.has(sha(big))).toBe(false);
    expect(await queryDatabase(database.url, 'SELECT 1 FROM blob_chunks')).toEqual([]);
  });

  it('answers undefined for a blob it does not hold', async () => {
    expect(await store.get(sha(Buffer.from('absent')))).toBeUndefined();
  });
});
