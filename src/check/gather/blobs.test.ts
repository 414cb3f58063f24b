import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsBlobStore } from '../../blobs/fs-blob-store.js';
import { openBlobSource } from './blobs.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const SBOM = '{"bomFormat":"CycloneDX"}\n';
const ABSENT = 'a'.repeat(64);

describe('a blob store directory as the check reads it', () => {
  const root = mkdtempSync(join(tmpdir(), 'nospy-blobs-'));
  const store = new FsBlobStore({ root });
  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('hands back a held blob and a file holding it, and nothing for a digest it lacks', async () => {
    await store.put(sha256(SBOM), Buffer.from(SBOM));
    const source = openBlobSource(root);
    expect((await source.get(sha256(SBOM)))?.toString()).toBe(SBOM);
    const file = await source.file(sha256(SBOM));
    expect(file === undefined ? undefined : readFileSync(file, 'utf8')).toBe(SBOM);
    expect(await source.get(ABSENT)).toBeUndefined();
  });

  it('rejects a blob whose bytes were changed on disk with CHECK_DATA_CORRUPT', async () => {
    const text = 'original\n';
    await store.put(sha256(text), Buffer.from(text));
    writeFileSync(store.pathOf(sha256(text)), 'tampered\n');
    await expect(openBlobSource(root).get(sha256(text))).rejects.toMatchObject({
      code: 'CHECK_DATA_CORRUPT',
    });
  });
});

describe('a server’s /v1/blobs as the check reads it', () => {
  let server: Server;
  let url = '';
  beforeAll(async () => {
    // Answers the SBOM for its digest, other bytes for a second digest, 404 for the rest.
    server = createServer((request, response) => {
      if (request.url === `/v1/blobs/sha256:${sha256(SBOM)}`) response.end(SBOM);
      else if (request.url === `/v1/blobs/sha256:${sha256('asked')}`) response.end('other');
      else response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.close();
  });

  it('fetches a blob, verifies it, and keeps a temporary file only until closed', async () => {
    const source = openBlobSource(url);
    expect((await source.get(sha256(SBOM)))?.toString()).toBe(SBOM);
    expect(await source.get(ABSENT)).toBeUndefined();
    const file = await source.file(sha256(SBOM));
    if (file === undefined) throw new Error('the blob is held');
    expect(readFileSync(file, 'utf8')).toBe(SBOM);
    source.close();
    expect(() => readFileSync(file)).toThrow(/ENOENT/);
  });

  it('rejects content that is not what the digest names with CHECK_DATA_CORRUPT', async () => {
    await expect(openBlobSource(url).get(sha256('asked'))).rejects.toMatchObject({
      code: 'CHECK_DATA_CORRUPT',
    });
  });

  it('says the store cannot be reached (CHECK_LOG_UNREACHABLE) when nothing answers', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => {
      closed.close(() => {
        resolve();
      });
    });
    await expect(
      openBlobSource(`http://127.0.0.1:${port}`).get(sha256(SBOM)),
    ).rejects.toMatchObject({ code: 'CHECK_LOG_UNREACHABLE' });
  });
});
