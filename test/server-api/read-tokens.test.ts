/**
 * Who may read what, on a real server over loopback HTTP: the log's endpoints are public, the
 * operator's product API and metrics need a read token from the tokens file, writes a submit
 * token; tokens are added and revoked by editing the file, without a restart.
 */
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLog, type OpenLog } from '../../src/log/open-log.js';
import { AccessTokens } from '../../src/server/auth/access-tokens.js';
import { newToken, tokenLine } from '../../src/server/auth/token-file.js';
import { createServer, type LogServer } from '../../src/server/server.js';
import { generateNoteKey } from '../../src/tlog/note-key.js';
import { runCli } from '../helpers/run-cli.js';
import { tempDir } from '../log/helpers.js';
import { FixedSnapshotSource } from './fixed-snapshot-source.js';

const SUBMIT = 'operator-submit-token';
const tokens = {
  read: newToken(),
  triage: newToken(),
  submit: newToken(),
  admin: newToken(),
};

let temp: ReturnType<typeof tempDir>;
let file: string;
let access: AccessTokens;
let log: OpenLog;
let app: LogServer;
let url: string;

beforeAll(async () => {
  temp = tempDir('nospy-read-tokens-');
  file = join(temp.dir, 'tokens');
  writeFileSync(
    file,
    [
      '# the operator team\n',
      tokenLine(tokens.read, ['read'], 'dashboard'),
      tokenLine(tokens.triage, ['triage'], 'analyst'),
      tokenLine(tokens.submit, ['submit'], 'collector'),
      tokenLine(tokens.admin, ['admin'], 'ops'),
    ].join(''),
  );
  access = new AccessTokens({ file, submitToken: SUBMIT });
  log = await openLog({
    dataDir: join(temp.dir, 'data'),
    signer: generateNoteKey('log.example/t'),
  });
  app = createServer({
    log: log.sequencer,
    store: log.store,
    logger: pino({ level: 'silent' }),
    submitToken: SUBMIT,
    tokens: access,
    snapshots: new FixedSnapshotSource(),
    onClose: () => log.close(),
  });
  url = await app.listen({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  const closing = app.close();
  app.server.closeAllConnections();
  await closing;
  temp.remove();
});

const get = (path: string, token?: string, scheme = 'Bearer'): Promise<Response> =>
  fetch(
    `${url}${path}`,
    token === undefined ? {} : { headers: { authorization: `${scheme} ${token}` } },
  );

describe('the log endpoints', () => {
  it.each(['/checkpoint', '/healthz', '/v1/statements', '/openapi.json'])(
    'answer %s to anyone, with no token',
    async (path) => {
      expect((await get(path)).status).toBe(200);
    },
  );
});

describe('the product API and metrics', () => {
  it.each([
    '/v1/summary',
    '/v1/findings',
    '/v1/devices',
    '/v1/vendors',
    '/v1/compliance',
    '/metrics',
  ])('refuse %s without a token with 401 and WWW-Authenticate: Bearer', async (path) => {
    const response = await get(path);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer /);
    const body = (await response.json()) as { error: { code: string } };
    expect(body.error.code).toBe('LOG_UNAUTHORIZED');
  });

  it('refuse a token that is not in the file, and one that only submits (403)', async () => {
    expect((await get('/v1/summary', newToken())).status).toBe(401);
    expect((await get('/v1/summary', SUBMIT)).status).toBe(403);
    const forbidden = await get('/v1/summary', tokens.submit);
    expect(forbidden.status).toBe(403);
    expect(((await forbidden.json()) as { error: { code: string } }).error.code).toBe(
      'LOG_FORBIDDEN',
    );
  });

  it('answer a read, triage or admin token, whatever the case of "Bearer"', async () => {
    for (const token of [tokens.read, tokens.triage, tokens.admin]) {
      expect((await get('/v1/summary', token)).status).toBe(200);
    }
    expect((await get('/v1/summary', tokens.read, 'bearer')).status).toBe(200);
    expect((await get('/metrics', tokens.read, 'BEARER')).status).toBe(200);
  });

  it('refuse a view to a client without a token even when it was just served and is kept', async () => {
    const served = await get('/v1/findings', tokens.read);
    expect(served.status).toBe(200);
    const etag = served.headers.get('etag') ?? '';
    expect(etag).not.toBe('');
    expect((await get('/v1/findings')).status).toBe(401);
    const revalidated = await fetch(`${url}/v1/findings`, { headers: { 'if-none-match': etag } });
    expect(revalidated.status).toBe(401);
  });
});

describe('writes', () => {
  const post = (token: string, body: string): Promise<Response> =>
    fetch(`${url}/add`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body });

  it('take the --submit-token and a submit or admin token of the file, and no read token', async () => {
    expect((await post(SUBMIT, 'by the flag token')).status).toBe(200);
    expect((await post(tokens.submit, 'by a submit token')).status).toBe(200);
    expect((await post(tokens.admin, 'by an admin token')).status).toBe(200);
    expect((await post(tokens.read, 'by a read token')).status).toBe(403);
  });

  it('refuse a write without a known token with 401 and WWW-Authenticate naming the scope', async () => {
    const response = await post(newToken(), 'by no one');
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="nospy", scope="submit"');
  });
});

describe('when the tokens file changes while the server runs', () => {
  it('takes a token added to it and refuses one removed from it, without a restart', async () => {
    const added = newToken();
    appendFileSync(file, tokenLine(added, ['read'], 'new'));
    access.reload();
    expect((await get('/v1/summary', added)).status).toBe(200);
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace(tokenLine(tokens.read, ['read'], 'dashboard'), ''),
    );
    access.reload();
    expect((await get('/v1/summary', tokens.read)).status).toBe(401);
    expect((await get('/v1/summary', added)).status).toBe(200);
  });

  it('refuses every token of a file that no longer parses, until it is fixed', async () => {
    const before = readFileSync(file, 'utf8');
    writeFileSync(file, `${before}this is not a token line\n`);
    access.reload();
    expect((await get('/v1/summary', tokens.admin)).status).toBe(401);
    writeFileSync(file, before);
    access.reload();
    expect((await get('/v1/summary', tokens.admin)).status).toBe(200);
  });
});

describe('nospy token add', () => {
  it('prints a new token once and appends only its SHA-256 to the tokens file', async () => {
    const target = join(temp.dir, 'cli-tokens');
    const result = await runCli([
      'token',
      'add',
      '--scope',
      'read,triage',
      '--tokens',
      target,
      '--name',
      'alice',
    ]);
    expect(result.code).toBe(0);
    const token = result.stdout.trim();
    expect(token).toMatch(/^nospy_[A-Za-z0-9_-]{43}$/);
    const text = readFileSync(target, 'utf8');
    expect(text).not.toContain(token);
    expect(text).toBe(tokenLine(token, ['read', 'triage'], 'alice'));
    expect(new AccessTokens({ file: target }).holderOf(token)?.scopes).toEqual(['read', 'triage']);
  });

  it('refuses a scope that is not one, with exit 2', async () => {
    const result = await runCli([
      'token',
      'add',
      '--scope',
      'root',
      '--tokens',
      join(temp.dir, 'x'),
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/"root" is not a scope/);
  });
});

describe('nospy serve on an address other than loopback', () => {
  it('refuses to start without a tokens file, with exit 2 and what to do', async () => {
    const key = join(temp.dir, 'log.key');
    expect((await runCli(['keygen', '--name', 'log.example/serve', '--out', key])).code).toBe(0);
    const result = await runCli([
      'serve',
      '--data',
      join(temp.dir, 'serve-data'),
      '--log-key',
      key,
      '--host',
      '0.0.0.0',
      '--port',
      '0',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/without read tokens: give --tokens <file>/);
  });
});
