/**
 * docs/security.md, endpoint by endpoint: each row of its table is read from the document and
 * its "who may call it" is checked against a real server (a tokens file, the trust file, blobs,
 * the read API and the dashboard), so the page cannot drift from what the server does.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { FsBlobStore } from '../../src/blobs/fs-blob-store.js';
import { openLog } from '../../src/log/open-log.js';
import { AccessTokens } from '../../src/server/auth/access-tokens.js';
import { newToken, tokenLine } from '../../src/server/auth/token-file.js';
import { createServer, type LogServer } from '../../src/server/server.js';
import { serializeEnvelope } from '../../src/statements/dsse.js';
import {
  loadPrivateKeyFile,
  loadStatementFile,
  loadTrustFile,
} from '../../src/statements/files.js';
import { signStatement } from '../../src/statements/sign.js';
import { generateNoteKey, parseVerifierKey } from '../../src/tlog/note-key.js';
import { tempDir } from '../log/helpers.js';
import { FixedSnapshotSource } from './fixed-snapshot-source.js';

const ROOT = join(import.meta.dirname, '../..');
const BLOB_CONTENT = 'an SBOM';
const BLOB = `sha256:${createHash('sha256').update(BLOB_CONTENT).digest('hex')}`;

/** The rows of the "Endpoint by endpoint" table: the endpoint cell and the "who" cell. */
function documentedEndpoints(): { endpoint: string; who: string }[] {
  const text = readFileSync(join(ROOT, 'docs/security.md'), 'utf8');
  const section = text.slice(
    text.indexOf('## Endpoint by endpoint'),
    text.indexOf('Credentials are checked'),
  );
  return section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => {
      const [endpoint = '', who = ''] = line
        .split('|')
        .slice(1)
        .map((cell) => cell.trim());
      return { endpoint, who };
    });
}

/**
 * A request for each endpoint the table names, as it writes it. A row the test does not know
 * fails it: a new endpoint in the document needs a request here.
 */
const REQUESTS: Record<
  string,
  readonly { method: 'GET' | 'POST' | 'PUT'; url: string; body?: string }[]
> = {
  '`GET /checkpoint`': [{ method: 'GET', url: '/checkpoint' }],
  '`GET /tile/<L>/<N>[.p/<W>]`, `GET /tile/entries/<N>[.p/<W>]`': [
    { method: 'GET', url: '/tile/0/000.p/1' },
    { method: 'GET', url: '/tile/entries/000.p/1' },
  ],
  '`GET /proof/<index>`': [{ method: 'GET', url: '/proof/0' }],
  '`GET /v1/statements`, `GET /v1/statements/<index>`, `GET /v1/statements/<index>/sigstore`': [
    { method: 'GET', url: '/v1/statements' },
    { method: 'GET', url: '/v1/statements/0' },
    { method: 'GET', url: '/v1/statements/0/sigstore' },
  ],
  '`GET /v1/blobs/sha256:<hex>`': [{ method: 'GET', url: `/v1/blobs/${BLOB}` }],
  '`GET /healthz`': [{ method: 'GET', url: '/healthz' }],
  '`GET /readyz`': [{ method: 'GET', url: '/readyz' }],
  '`GET /openapi.json`': [{ method: 'GET', url: '/openapi.json' }],
  '`GET /`, `GET /assets/*`': [
    { method: 'GET', url: '/' },
    { method: 'GET', url: '/assets/index-abc.js' },
  ],
  '`GET /v1/summary`, `/v1/findings…`, `/v1/devices…`, `/v1/vendors…`, `/v1/releases`, `/v1/compliance`':
    [
      { method: 'GET', url: '/v1/summary' },
      { method: 'GET', url: '/v1/findings' },
      { method: 'GET', url: '/v1/findings/f-undeclared-1' },
      { method: 'GET', url: '/v1/devices' },
      { method: 'GET', url: '/v1/vendors' },
      { method: 'GET', url: '/v1/releases' },
      { method: 'GET', url: '/v1/compliance' },
    ],
  '`GET /metrics`': [{ method: 'GET', url: '/metrics' }],
  '`POST /add`': [{ method: 'POST', url: '/add', body: 'an entry' }],
  '`POST /v1/statements`': [{ method: 'POST', url: '/v1/statements', body: '{}' }],
  '`PUT /v1/blobs/sha256:<hex>`': [{ method: 'PUT', url: `/v1/blobs/${BLOB}`, body: BLOB_CONTENT }],
  // The witness is its own server: test/log/witness.test.ts.
  '`POST /add-checkpoint` (`nospy witness serve`)': [],
};

const tokens = { read: newToken(), submit: newToken() };
let app: LogServer;
let remove: () => void;

beforeAll(async () => {
  const temp = tempDir('nospy-security-doc-');
  remove = temp.remove;
  const web = join(temp.dir, 'web');
  mkdirSync(join(web, 'assets'), { recursive: true });
  writeFileSync(join(web, 'index.html'), '<!doctype html><title>nospy</title>');
  writeFileSync(join(web, 'assets', 'index-abc.js'), 'console.log(1)');
  const file = join(temp.dir, 'tokens');
  writeFileSync(
    file,
    tokenLine(tokens.read, ['read'], 'dashboard') + tokenLine(tokens.submit, ['submit'], 'ci'),
  );
  const signer = generateNoteKey('log.example/security');
  const log = await openLog({ dataDir: join(temp.dir, 'log'), signer });
  const trust = loadTrustFile(join(ROOT, 'examples/statements/trust.yaml'));
  app = createServer({
    log: log.sequencer,
    store: log.store,
    logger: pino({ level: 'silent' }),
    tokens: new AccessTokens({ file }),
    trust: { ...trust, log: { origin: undefined, key: parseVerifierKey(signer.vkey) } },
    blobs: new FsBlobStore({ root: join(temp.dir, 'blobs') }),
    snapshots: new FixedSnapshotSource(),
    dashboard: web,
    onClose: () => log.close(),
  });
  await app.ready();
  // A statement at index 0 and a blob, for the read paths to show.
  const acme = loadPrivateKeyFile(join(ROOT, 'examples/keys/example-acme-vendor.key'));
  const { statement } = loadStatementFile(join(ROOT, 'examples/statements/release.yaml'));
  const published = await app.inject({
    method: 'POST',
    url: '/v1/statements',
    payload: serializeEnvelope(signStatement(statement, acme)),
  });
  expect(published.statusCode).toBe(200);
  await app.inject({
    method: 'PUT',
    url: `/v1/blobs/${BLOB}`,
    payload: BLOB_CONTENT,
    headers: { authorization: `Bearer ${tokens.submit}` },
  });
  await app.inject({
    method: 'POST',
    url: '/add',
    payload: 'first',
    headers: { authorization: `Bearer ${tokens.submit}` },
  });
});

afterAll(async () => {
  await app.close();
  remove();
});

async function status(
  request: (typeof REQUESTS)[string][number],
  token?: string,
): Promise<{ code: number; challenge: unknown }> {
  const response = await app.inject({
    method: request.method,
    url: request.url,
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
    ...(request.body === undefined ? {} : { payload: request.body }),
  });
  return { code: response.statusCode, challenge: response.headers['www-authenticate'] };
}

describe('docs/security.md, endpoint by endpoint', () => {
  const rows = documentedEndpoints();

  it('lists the endpoints this test knows how to call, and only those', () => {
    expect(rows.map((row) => row.endpoint).sort()).toEqual(Object.keys(REQUESTS).sort());
  });

  for (const { endpoint, who } of rows) {
    const requests = REQUESTS[endpoint] ?? [];
    if (who.startsWith('anyone whose envelope is signed')) {
      it(`${endpoint}: takes no token, only signatures (an unsigned body is refused as such, not as a 401)`, async () => {
        for (const request of requests) expect((await status(request)).code).toBe(400);
      });
    } else if (who.startsWith('anyone')) {
      it(`${endpoint}: answers anyone, with no token`, async () => {
        for (const request of requests) expect((await status(request)).code).toBe(200);
      });
    } else if (who.startsWith('`read`')) {
      it(`${endpoint}: refuses no token (401, with the challenge) and answers a read token`, async () => {
        for (const request of requests) {
          const anonymous = await status(request);
          expect(anonymous.code).toBe(401);
          expect(anonymous.challenge).toMatch(/^Bearer realm="nospy"/);
          expect((await status(request, tokens.read)).code).toBe(200);
        }
      });
    } else if (who.startsWith('`submit`')) {
      it(`${endpoint}: refuses no token (401, with the challenge), a read token, and takes a submit token`, async () => {
        for (const request of requests) {
          const anonymous = await status(request);
          expect(anonymous.code).toBe(401);
          expect(anonymous.challenge).toMatch(/^Bearer realm="nospy"/);
          expect([401, 403]).toContain((await status(request, tokens.read)).code);
          expect([200, 201]).toContain((await status(request, tokens.submit)).code);
        }
      });
    } else {
      it(`${endpoint}: is checked elsewhere (${who.slice(0, 40)})`, () => {
        expect(requests).toEqual([]);
      });
    }
  }
});
