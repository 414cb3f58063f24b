import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyTlogProof } from '../../src/tlog/proof-bundle.js';
import { openCheckpoint } from '../../src/tlog/checkpoint.js';
import { leafHash } from '../../src/tlog/hash.js';
import { rootFromLeafHashes } from '../../src/tlog/tree.js';
import { decodeEntryBundle } from '../../src/tlog/tiles.js';
import { add, checkpointOf, startLog, tempDir, TOKEN, type RunningLog } from './helpers.js';

let temp: ReturnType<typeof tempDir>;
let server: RunningLog;

beforeEach(async () => {
  temp = tempDir();
  server = await startLog({ dir: temp.dir });
});
afterEach(async () => {
  await server.close();
  temp.remove();
});

async function addMany(
  count: number,
  prefix = 'entry',
): Promise<{ index: number; leafHash: string }[]> {
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const response = await add(server.url, `${prefix} ${i}`);
      expect(response.status).toBe(200);
      return (await response.json()) as { index: number; leafHash: string };
    }),
  );
}

describe('POST /add', () => {
  it('answers the index and leaf hash once the entry is in a signed checkpoint', async () => {
    const response = await add(server.url, 'hello');
    expect(response.status).toBe(200);
    const body = (await response.json()) as { index: number; leafHash: string };
    expect(body).toEqual({ index: 0, leafHash: leafHash(Buffer.from('hello')).toString('hex') });
    const { checkpoint } = openCheckpoint(await checkpointOf(server.url), server.key);
    expect(checkpoint.size).toBe(1);
    expect(checkpoint.origin).toBe('log.example/test');
  });

  describe('when many writers add at once', () => {
    it('gives every distinct entry its own index and covers them all in the checkpoint', async () => {
      const results = await addMany(300);
      const indexes = results.map((r) => r.index).sort((a, b) => a - b);
      expect(indexes).toEqual(Array.from({ length: 300 }, (_, i) => i));
      const { checkpoint } = openCheckpoint(await checkpointOf(server.url), server.key);
      expect(checkpoint.size).toBe(300);
      const hashes = new Array<Buffer>(300);
      for (const r of results) hashes[r.index] = Buffer.from(r.leafHash, 'hex');
      expect(checkpoint.rootHash.equals(rootFromLeafHashes(hashes))).toBe(true);
    });
  });

  describe('when an entry is added twice', () => {
    it('answers the index of the first copy and does not grow the tree', async () => {
      const first = (await (await add(server.url, 'same')).json()) as { index: number };
      await add(server.url, 'other');
      const again = (await (await add(server.url, 'same')).json()) as { index: number };
      expect(again.index).toBe(first.index);
      expect(openCheckpoint(await checkpointOf(server.url), server.key).checkpoint.size).toBe(2);
    });
  });

  describe('when the Authorization scheme is written in another case', () => {
    it('takes the token whatever the case of the scheme "Bearer" (RFC 9110 §11.1)', async () => {
      for (const scheme of ['bearer', 'BEARER']) {
        const response = await fetch(`${server.url}/add`, {
          method: 'POST',
          headers: { authorization: `${scheme} ${TOKEN}` },
          body: `added with ${scheme}`,
        });
        expect(response.status, scheme).toBe(200);
      }
    });
  });

  describe('bad requests, none of which changes the tree', () => {
    beforeEach(async () => {
      await addMany(3);
    });

    it('refuses an entry over 65,535 bytes with 413 and a message', async () => {
      const before = await checkpointOf(server.url);
      const response = await add(server.url, Buffer.alloc(65_536, 1));
      expect(response.status).toBe(413);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('LOG_ENTRY_TOO_LARGE');
      expect(body.error.message).toContain('65535');
      expect(await checkpointOf(server.url)).toBe(before);
    });

    it('takes an entry of exactly 65,535 bytes', async () => {
      const response = await add(server.url, Buffer.alloc(65_535, 7));
      expect(response.status).toBe(200);
    });

    it('refuses a wrong token with 401', async () => {
      const before = await checkpointOf(server.url);
      const response = await add(server.url, 'sneaky', 'wrong-token');
      expect(response.status).toBe(401);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
        'LOG_UNAUTHORIZED',
      );
      expect(await checkpointOf(server.url)).toBe(before);
    });

    it('refuses a missing token with 401', async () => {
      const before = await checkpointOf(server.url);
      const response = await fetch(`${server.url}/add`, { method: 'POST', body: 'x' });
      expect(response.status).toBe(401);
      expect(await checkpointOf(server.url)).toBe(before);
    });

    it('answers 400 to a malformed tile path', async () => {
      const before = await checkpointOf(server.url);
      for (const path of [
        'tile/0/1234',
        'tile/x/000',
        'tile/0/000.p/256',
        'tile/0/000.p/0',
        'tile/entries/x000/000',
        'tile/0/0',
      ]) {
        const response = await fetch(`${server.url}/${path}`);
        expect(response.status, path).toBe(400);
        expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
          'TLOG_TILE_PATH_INVALID',
        );
      }
      expect(await checkpointOf(server.url)).toBe(before);
    });

    it('answers 404 to a tile beyond the tree', async () => {
      for (const path of [
        'tile/0/000',
        'tile/0/000.p/4',
        'tile/0/001.p/1',
        'tile/1/000.p/1',
        'tile/entries/000',
        'tile/entries/000.p/4',
      ]) {
        const response = await fetch(`${server.url}/${path}`);
        expect(response.status, path).toBe(404);
      }
    });

    it('answers 404 to a proof beyond the tree and 400 to a malformed index', async () => {
      expect((await fetch(`${server.url}/proof/3`)).status).toBe(404);
      expect((await fetch(`${server.url}/proof/01`)).status).toBe(400);
      expect((await fetch(`${server.url}/proof/-1`)).status).toBe(400);
    });
  });
});

describe('the tlog-tiles read API', () => {
  describe('when a tile path is percent-encoded', () => {
    it('answers 400 TLOG_TILE_PATH_INVALID instead of serving the tile under a second URL', async () => {
      await addMany(13);
      expect((await fetch(`${server.url}/tile/0/000.p/13`)).status).toBe(200);
      for (const path of [
        'tile/%30/000.p/13',
        'tile/0/%30%30%30.p/13',
        'tile/0/000.p/1%33',
        'tile/0/000%2Ep/13',
        'tile/entries/00%30.p/13',
      ]) {
        const response = await fetch(`${server.url}/${path}`);
        expect(response.status, path).toBe(400);
        expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
          'TLOG_TILE_PATH_INVALID',
        );
      }
    });
  });

  it('serves the checkpoint briefly cacheable and tiles immutable once full', async () => {
    const results = await addMany(258);
    const checkpoint = await fetch(`${server.url}/checkpoint`);
    expect(checkpoint.headers.get('content-type')).toMatch(/^text\/plain/);
    const maxAge = /max-age=(\d+)/.exec(checkpoint.headers.get('cache-control') ?? '');
    expect(Number(maxAge?.[1])).toBeLessThanOrEqual(5);

    const full = await fetch(`${server.url}/tile/0/000`);
    expect(full.status).toBe(200);
    expect(full.headers.get('content-type')).toBe('application/octet-stream');
    expect(full.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const tile = Buffer.from(await full.arrayBuffer());
    expect(tile.length).toBe(8192);
    const byIndex = new Map(results.map((r) => [r.index, r.leafHash]));
    expect(tile.subarray(0, 32).toString('hex')).toBe(byIndex.get(0));

    const partial = await fetch(`${server.url}/tile/0/001.p/2`);
    expect(partial.status).toBe(200);
    expect(partial.headers.get('cache-control')).not.toContain('immutable');
    expect(
      Buffer.from(await partial.arrayBuffer())
        .subarray(32)
        .toString('hex'),
    ).toBe(byIndex.get(257));

    // A partial tile of an earlier size stays servable: its hashes are a prefix of the full one.
    const earlier = Buffer.from(await (await fetch(`${server.url}/tile/0/000.p/5`)).arrayBuffer());
    expect(earlier.equals(tile.subarray(0, 160))).toBe(true);

    const level1 = Buffer.from(await (await fetch(`${server.url}/tile/1/000.p/1`)).arrayBuffer());
    expect(
      level1.equals(
        rootFromLeafHashes(
          Array.from({ length: 256 }, (_, i) => tile.subarray(i * 32, i * 32 + 32)),
        ),
      ),
    ).toBe(true);

    const bundle = Buffer.from(
      await (await fetch(`${server.url}/tile/entries/001.p/2`)).arrayBuffer(),
    );
    const entries = decodeEntryBundle(bundle, 2).map((e) => leafHash(e).toString('hex'));
    expect(entries).toEqual([byIndex.get(256), byIndex.get(257)]);
  });

  it('answers GET /proof/<index> with a tlog-proof that verifies', async () => {
    await addMany(40);
    for (const index of [0, 17, 39]) {
      const response = await fetch(`${server.url}/proof/${index}`);
      expect(response.status).toBe(200);
      const text = await response.text();
      const entries = await fetch(`${server.url}/tile/entries/000.p/40`);
      const entry = decodeEntryBundle(Buffer.from(await entries.arrayBuffer()), 40)[index]!;
      const verified = verifyTlogProof(text, { entry }, server.key);
      expect(verified.index).toBe(index);
      expect(verified.checkpoint.size).toBe(40);
    }
  });

  it('reports health and readiness', async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
  });
});
