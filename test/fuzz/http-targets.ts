/**
 * The server's request bodies and paths as fuzz targets: one real server per worker (SQLite log,
 * the example trust file, a tokens file, a blob store, the read API), each input sent through
 * fastify's `inject` to the real routes. The server refusing an input (a 4xx or 503 in the
 * documented `{"error": {"code", "message"}}` shape) is what it is for; a 500, any other error
 * shape, or a request that throws is a crash, and the runner's per-input deadline and heap limit
 * catch hangs and memory growth.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pino } from 'pino';
import { FsBlobStore } from '../../src/blobs/fs-blob-store.js';
import { openLog } from '../../src/log/open-log.js';
import { AccessTokens } from '../../src/server/auth/access-tokens.js';
import { tokenLine } from '../../src/server/auth/token-file.js';
import { createServer, type LogServer } from '../../src/server/server.js';
import { serializeEnvelope } from '../../src/statements/dsse.js';
import {
  loadPrivateKeyFile,
  loadStatementFile,
  loadTrustFile,
} from '../../src/statements/files.js';
import { signStatement } from '../../src/statements/sign.js';
import { parseTokenFile } from '../../src/server/auth/token-file.js';
import { generateNoteKey, parseVerifierKey } from '../../src/tlog/note-key.js';
import { FixedSnapshotSource } from '../server-api/fixed-snapshot-source.js';
import type { FuzzTarget } from './targets.js';

const ROOT = join(import.meta.dirname, '../..');
const EXAMPLES = join(ROOT, 'examples');
const ADMIN = 'fuzz-admin-token';
const READER = 'fuzz-read-token';

/** The worker's server, started on first use (workers that run no HTTP target start none). */
let server: Promise<LogServer> | undefined;

/** `scratch`: the worker's scratch file; the server's files go beside it, removed with it. */
function fuzzServer(scratch: string): Promise<LogServer> {
  server ??= (async () => {
    const dir = mkdtempSync(join(dirname(scratch), 'http-'));
    const signer = generateNoteKey('fuzz.example/log');
    const log = await openLog({ dataDir: join(dir, 'log'), signer });
    const tokensFile = join(dir, 'tokens');
    writeFileSync(
      tokensFile,
      tokenLine(ADMIN, ['admin'], 'fuzz-admin') + tokenLine(READER, ['read'], 'fuzz-reader'),
    );
    const trust = loadTrustFile(join(EXAMPLES, 'statements/trust.yaml'));
    const app = createServer({
      log: log.sequencer,
      store: log.store,
      logger: pino({ level: 'silent' }),
      tokens: new AccessTokens({ file: tokensFile }),
      trust: { ...trust, log: { origin: undefined, key: parseVerifierKey(signer.vkey) } },
      blobs: new FsBlobStore({ root: join(dir, 'blobs'), maxBytes: 1024 * 1024 }),
      snapshots: new FixedSnapshotSource(),
      onClose: () => log.close(),
    });
    await app.ready();
    return app;
  })();
  return server;
}

/** What a content type the input is sent with: its length picks one, so mutations vary it. */
const CONTENT_TYPES = ['application/json', 'application/octet-stream', 'text/plain; charset=utf-8'];

/** Sends one request; throws (a crash) unless it is answered well or refused in the API's shape. */
async function send(
  scratch: string,
  request: {
    method: 'GET' | 'POST' | 'PUT';
    url: string;
    body?: Buffer;
    headers?: Record<string, string>;
  },
): Promise<void> {
  const app = await fuzzServer(scratch);
  const response = await app.inject({
    method: request.method,
    url: request.url,
    headers: request.headers ?? {},
    ...(request.body === undefined ? {} : { payload: request.body }),
  });
  const status = response.statusCode;
  if (status === 500)
    throw new Error(
      `${request.method} ${request.url} answered 500: ${response.body.slice(0, 500)}`,
    );
  if (status < 400) return;
  let parsed: unknown;
  try {
    parsed = JSON.parse(response.body);
  } catch {
    throw new Error(
      `${request.method} ${request.url} answered ${status} with a body that is not JSON: ${response.body.slice(0, 200)}`,
    );
  }
  const error = (parsed as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  if (typeof error?.code !== 'string' || typeof error.message !== 'string') {
    throw new Error(
      `${request.method} ${request.url} answered ${status} outside the error shape: ${response.body.slice(0, 200)}`,
    );
  }
}

function signedRelease(): Buffer {
  const acme = loadPrivateKeyFile(join(EXAMPLES, 'keys/example-acme-vendor.key'));
  const { statement } = loadStatementFile(join(EXAMPLES, 'statements/release.yaml'));
  return serializeEnvelope(signStatement(statement, acme));
}

/**
 * Bytes as a request target: printable ASCII kept, everything else percent-encoded. `inject`
 * parses the target as a URL, where a backslash is a slash and a leading `//` starts an
 * authority (`/\%00/x` is not a URL to it, though a real server answers it 404 in the API's
 * shape): those are encoded too, so that every input reaches the router.
 */
function asPath(input: Buffer): string {
  let out = '';
  for (const byte of input) {
    out +=
      byte > 0x20 && byte < 0x7f && byte !== 0x23 && byte !== 0x5c
        ? String.fromCharCode(byte)
        : `%${byte.toString(16).padStart(2, '0').toUpperCase()}`;
  }
  const path = out.startsWith('/') ? out : `/${out}`;
  return path.startsWith('//') ? `/%2F${path.slice(2)}` : path;
}

export const HTTP_TARGETS: readonly FuzzTarget[] = [
  {
    name: 'HTTP: POST /add bodies',
    seeds: () => [Buffer.from('an entry'), Buffer.alloc(0), signedRelease()],
    async run(input, scratch) {
      await send(scratch, {
        method: 'POST',
        url: '/add',
        body: input,
        headers: {
          authorization: `Bearer ${ADMIN}`,
          'content-type': CONTENT_TYPES[input.length % 3] as string,
        },
      });
    },
  },
  {
    name: 'HTTP: POST /v1/statements bodies',
    seeds: () => [signedRelease(), Buffer.from('{"payloadType":"x","payload":"","signatures":[]}')],
    async run(input, scratch) {
      await send(scratch, {
        method: 'POST',
        url: '/v1/statements',
        body: input,
        headers: { 'content-type': CONTENT_TYPES[input.length % 3] as string },
      });
    },
  },
  {
    name: 'HTTP: PUT /v1/blobs bodies',
    seeds: () => [
      readFileSync(join(EXAMPLES, 'statements/release.yaml')),
      Buffer.from('{"bomFormat":"CycloneDX","specVersion":"1.5","components":[]}'),
    ],
    async run(input, scratch) {
      // Half the inputs under their own digest (stored), half under another (refused, 422).
      const digest = createHash('sha256')
        .update(input.length % 2 === 0 ? input : Buffer.concat([input, Buffer.from('x')]))
        .digest('hex');
      await send(scratch, {
        method: 'PUT',
        url: `/v1/blobs/sha256:${digest}`,
        body: input,
        headers: {
          authorization: `Bearer ${ADMIN}`,
          'content-type': CONTENT_TYPES[input.length % 3] as string,
        },
      });
    },
  },
  {
    name: 'HTTP: request paths and queries (log and read API)',
    seeds: () =>
      [
        '/checkpoint',
        '/tile/0/000.p/1',
        '/tile/%30/000.p/1',
        '/tile/entries/000.p/1',
        '/tile/1/x001/000',
        '/proof/0',
        '/v1/statements?type=release&limit=5',
        '/v1/statements?subject=sha256:' + 'a'.repeat(64) + '&from=0',
        '/v1/statements/0',
        '/v1/findings?severity=high',
        '/v1/devices',
        '/v1/summary',
        '/v1/blobs/sha256:' + 'b'.repeat(64),
        '/metrics',
      ].map((path) => Buffer.from(path)),
    async run(input, scratch) {
      await send(scratch, {
        method: 'GET',
        url: asPath(input),
        headers: { authorization: `Bearer ${READER}` },
      });
    },
  },
  {
    name: 'tokens files',
    seeds: () => [
      Buffer.from(tokenLine(ADMIN, ['admin'], 'a') + tokenLine(READER, ['read', 'triage'], 'b')),
    ],
    run(input) {
      parseTokenFile(input.toString('utf8'), 'fuzz-tokens');
    },
  },
];
