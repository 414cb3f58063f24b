import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsBlobStore } from '../../src/blobs/fs-blob-store.js';
import { blobRoutes } from '../../src/server/resources/blobs.js';
import { BLOB_SIGNATURE_HEADER, signBlobUpload } from '../../src/blobs/upload-signature.js';
import type { ErrorBody } from '../../src/server/error-reply.js';
import { parseTrustFile } from '../../src/statements/trust.js';
import { generateNoteKey } from '../../src/tlog/note-key.js';

const sha = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
const mud = Buffer.from(JSON.stringify({ 'ietf-mud:mud': { 'mud-version': 1 } }));
const MAX = 4096;
const TOKEN = 'operator-blob-token';
const vendor = generateNoteKey('acme-networks');
const operator = generateNoteKey('albion-mobile');
const evaluator = generateNoteKey('albion-lab');
const stranger = generateNoteKey('acme-networks');
const trust = parseTrustFile(
  [
    'parties:',
    `  - { name: Acme Networks, role: vendor, keys: ["${vendor.vkey}"] }`,
    `  - { name: Albion Mobile, role: operator, keys: ["${operator.vkey}"] }`,
    `  - { name: Albion Lab, role: evaluator, keys: ["${evaluator.vkey}"] }`,
    '',
  ].join('\n'),
  'trust.yaml',
);

let app: FastifyInstance;
let base: string;
let root: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'nospy-blob-routes-'));
  app = Fastify();
  await app.register(blobRoutes, {
    store: new FsBlobStore({ root, maxBytes: MAX }),
    maxBytes: MAX,
    writers: { token: TOKEN, trust },
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  base = `http://127.0.0.1:${address.port}`;
});

afterAll(async () => {
  await app.close();
  rmSync(root, { recursive: true, force: true });
});

/** Every error is the API's one shape (docs/api.md). */
const errorOf = async (response: Response): Promise<ErrorBody> => {
  const body = (await response.json()) as ErrorBody;
  expect(Object.keys(body)).toEqual(['error']);
  expect(Object.keys(body.error).sort()).toEqual(['code', 'message']);
  return body;
};

const put = (
  digest: string,
  body: Uint8Array,
  type = 'application/json',
  auth: Record<string, string> = { authorization: `Bearer ${TOKEN}` },
): Promise<Response> =>
  fetch(`${base}/v1/blobs/${digest}`, {
    method: 'PUT',
    body,
    headers: { 'content-type': type, ...auth },
  });

describe('who may PUT /v1/blobs', () => {
  const doc = Buffer.from('{"bomFormat":"CycloneDX","specVersion":"1.6","auth":1}');
  const digest = `sha256:${sha(doc)}`;
  const refused = async (auth: Record<string, string>, why: RegExp): Promise<void> => {
    const response = await put(digest, doc, 'application/json', auth);
    expect(response.status).toBe(401);
    const { error } = await errorOf(response);
    expect(error.code).toBe('BLOB_UNAUTHORIZED');
    expect(error.message).toMatch(why);
    expect((await fetch(`${base}/v1/blobs/${digest}`)).status).toBe(404);
  };

  it('refuses a request with neither token nor signature with 401, storing nothing', async () => {
    await refused({}, /Authorization: Bearer/);
  });

  it('refuses a wrong bearer token with 401', async () => {
    await refused({ authorization: 'Bearer not-the-token' }, /not the operator token/);
  });

  it('refuses a signature by a key the trust file does not name', async () => {
    await refused(
      { [BLOB_SIGNATURE_HEADER]: signBlobUpload(stranger, sha(doc)) },
      /no vendor or evaluator key acme-networks/,
    );
  });

  it('refuses a signature by the operator key: only vendors and evaluators sign uploads', async () => {
    await refused(
      { [BLOB_SIGNATURE_HEADER]: signBlobUpload(operator, sha(doc)) },
      /no vendor or evaluator key albion-mobile/,
    );
  });

  it('refuses a vendor signature over another digest', async () => {
    await refused(
      { [BLOB_SIGNATURE_HEADER]: signBlobUpload(vendor, sha(mud)) },
      /does not verify over sha256:/,
    );
  });

  it('refuses a malformed signature header', async () => {
    await refused({ [BLOB_SIGNATURE_HEADER]: 'acme-networks !!' }, /is not "<key name>/);
  });

  it('accepts a vendor signature over the digest', async () => {
    const response = await put(digest, doc, 'application/json', {
      [BLOB_SIGNATURE_HEADER]: signBlobUpload(vendor, sha(doc)),
    });
    expect(response.status).toBe(201);
  });

  it('accepts an evaluator signature over the digest (its diff reports)', async () => {
    const report = Buffer.from(
      '{"equivalent":true,"files":[],"indicators":{"onlyInA":[],"onlyInB":[]}}',
    );
    const response = await put(`sha256:${sha(report)}`, report, 'application/json', {
      [BLOB_SIGNATURE_HEADER]: signBlobUpload(evaluator, sha(report)),
    });
    expect(response.status).toBe(201);
  });

  it('accepts the operator token', async () => {
    const other = Buffer.from('{"operator":true}');
    const response = await put(`sha256:${sha(other)}`, other);
    expect(response.status).toBe(201);
  });
});

describe('PUT /v1/blobs/sha256:<hex> on a real listening server', () => {
  it('stores a JSON document as opaque bytes and answers 201 with its digest', async () => {
    const response = await put(`sha256:${sha(mud)}`, mud);
    expect(response.status).toBe(201);
    expect(response.headers.get('location')).toBe(`/v1/blobs/sha256:${sha(mud)}`);
    expect(await response.json()).toEqual({
      digest: `sha256:${sha(mud)}`,
      size: mud.length,
      created: true,
    });
  });

  it('answers 200 to the same upload again (idempotent)', async () => {
    const response = await put(`sha256:${sha(mud)}`, mud, 'application/octet-stream');
    expect(response.status).toBe(200);
    expect(((await response.json()) as { created: boolean }).created).toBe(false);
  });

  it('answers 422 BLOB_DIGEST_MISMATCH when the content has another digest, storing nothing', async () => {
    const wrong = sha(Buffer.from('something else'));
    const response = await put(`sha256:${wrong}`, mud);
    expect(response.status).toBe(422);
    expect((await errorOf(response)).error.code).toBe('BLOB_DIGEST_MISMATCH');
    expect((await fetch(`${base}/v1/blobs/sha256:${wrong}`)).status).toBe(404);
    expect(readdirSync(join(root, 'tmp'))).toEqual([]);
  });

  it('answers 400 BLOB_DIGEST_INVALID for a digest that is not sha256:<64 lowercase hex>', async () => {
    for (const digest of [
      'sha256:abc',
      `md5:${sha(mud)}`,
      sha(mud),
      `sha256:${sha(mud).toUpperCase()}`,
    ]) {
      const response = await put(digest, mud);
      expect(response.status).toBe(400);
      expect((await errorOf(response)).error.code).toBe('BLOB_DIGEST_INVALID');
    }
  });

  it('answers 413 BLOB_TOO_LARGE above the bound', async () => {
    const big = Buffer.alloc(MAX + 1, 7);
    const response = await put(`sha256:${sha(big)}`, big, 'application/octet-stream');
    expect(response.status).toBe(413);
    expect((await errorOf(response)).error.code).toBe('BLOB_TOO_LARGE');
  });
  it('stops a chunked upload with no Content-Length at the bound with 413, storing nothing', async () => {
    const big = Buffer.alloc(MAX * 2, 9);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < big.length; i += 1024) controller.enqueue(big.subarray(i, i + 1024));
        controller.close();
      },
    });
    const response = await fetch(`${base}/v1/blobs/sha256:${sha(big)}`, {
      method: 'PUT',
      body,
      duplex: 'half',
      headers: { 'content-type': 'application/octet-stream', authorization: `Bearer ${TOKEN}` },
    });
    expect(response.status).toBe(413);
    expect((await fetch(`${base}/v1/blobs/sha256:${sha(big)}`)).status).toBe(404);
    expect(readdirSync(join(root, 'tmp'))).toEqual([]);
  });
});

describe('GET /v1/blobs/sha256:<hex>', () => {
  it('answers the bytes with immutable caching and the digest as ETag', async () => {
    const response = await fetch(`${base}/v1/blobs/sha256:${sha(mud)}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(response.headers.get('etag')).toBe(`"sha256:${sha(mud)}"`);
    expect(Buffer.from(await response.arrayBuffer())).toEqual(mud);
  });

  it('answers 304 to a matching If-None-Match', async () => {
    const response = await fetch(`${base}/v1/blobs/sha256:${sha(mud)}`, {
      headers: { 'if-none-match': `"sha256:${sha(mud)}"` },
    });
    expect(response.status).toBe(304);
  });

  it('answers 404 BLOB_NOT_FOUND for a blob it does not hold', async () => {
    const response = await fetch(`${base}/v1/blobs/sha256:${'0'.repeat(64)}`);
    expect(response.status).toBe(404);
    expect((await errorOf(response)).error.code).toBe('BLOB_NOT_FOUND');
  });
});

describe("when the blob store fails on the server's disk", () => {
  // A store whose directories are files: every write or read of them fails with an error that
  // names the absolute path, which is the operator's business, not the client's.
  let broken: string;
  let server: FastifyInstance;

  beforeAll(async () => {
    broken = mkdtempSync(join(tmpdir(), 'nospy-blob-broken-'));
    writeFileSync(join(broken, 'tmp'), 'a file where the temporary directory belongs');
    mkdirSync(join(broken, 'sha256'));
    writeFileSync(join(broken, 'sha256', sha(mud).slice(0, 2)), 'a file where a directory belongs');
    server = Fastify();
    await server.register(blobRoutes, {
      store: new FsBlobStore({ root: broken, maxBytes: MAX }),
      maxBytes: MAX,
      writers: { token: TOKEN },
    });
  });

  afterAll(async () => {
    await server.close();
    rmSync(broken, { recursive: true, force: true });
  });

  it.each([
    ['PUT', { payload: mud, headers: { authorization: `Bearer ${TOKEN}` } }],
    ['GET', {}],
  ] as const)(
    "answers %s with 500 BLOB_IO without naming the server's paths",
    async (method, request) => {
      const response = await server.inject({
        method,
        url: `/v1/blobs/sha256:${sha(mud)}`,
        ...request,
      });
      expect(response.statusCode).toBe(500);
      expect(response.json<ErrorBody>().error.code).toBe('BLOB_IO');
      expect(response.body).not.toContain(broken);
      expect(response.body).not.toContain(tmpdir());
    },
  );
});
