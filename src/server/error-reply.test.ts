import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NospyError } from '../errors/nospy-error.js';
import { LogError } from '../log/errors.js';
import { MudError } from '../mud/errors.js';
import { StoreError } from '../store/errors.js';
import { errorHandler, INTERNAL_MESSAGE, type ErrorBody } from './error-reply.js';

// A real Fastify server whose routes throw what a handler may throw; answered by `errorHandler`.
let app: FastifyInstance;
const SECRET_PATH = '/var/lib/nospy/data/nospy.db';

beforeAll(async () => {
  app = Fastify();
  app.setErrorHandler(
    errorHandler((limit) => new LogError('LOG_ENTRY_TOO_LARGE', `at most ${limit} bytes`)),
  );
  const throwing = (error: unknown) => () => {
    throw error;
  };
  app.get('/unauthorized', throwing(new LogError('LOG_UNAUTHORIZED', 'needs a token')));
  app.get('/not-found', throwing(new LogError('LOG_NOT_FOUND', 'tile/0/001 is not stored')));
  app.get('/store-failed', throwing(new StoreError('STORE_IO', `cannot write ${SECRET_PATH}`)));
  app.get('/no-status', throwing(new MudError('MUD_LIMIT', `${SECRET_PATH} is too large`)));
  app.get('/internal', throwing(new NospyError('INTERNAL', `state of ${SECRET_PATH} is torn`)));
  app.get('/bug', throwing(new TypeError(`cannot read ${SECRET_PATH}`)));
  app.get('/string', throwing(SECRET_PATH));
  app.post('/small', { bodyLimit: 10 }, () => 'taken');
  app.post('/large', { bodyLimit: 100 }, () => 'taken');
  await app.ready();
});

afterAll(async () => {
  await app.close();
});

async function answer(
  method: 'GET' | 'POST',
  url: string,
  payload?: string,
): Promise<{ status: number; body: ErrorBody; raw: string; cache: unknown }> {
  const response = await app.inject({
    method,
    url,
    ...(payload === undefined ? {} : { payload, headers: { 'content-type': 'application/json' } }),
  });
  return {
    status: response.statusCode,
    body: response.json<ErrorBody>(),
    raw: response.body,
    cache: response.headers['cache-control'],
  };
}

describe('when a route refuses a request for want of credentials', () => {
  it('answers 401 with WWW-Authenticate naming the Bearer scheme (RFC 6750 §3)', async () => {
    const response = await app.inject({ method: 'GET', url: '/unauthorized' });
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="nospy"');
  });
});

describe('when a route throws one of our errors', () => {
  it('answers the status of its code with its code and message, never cached', async () => {
    const { status, body, cache } = await answer('GET', '/not-found');
    expect(status).toBe(404);
    expect(body).toEqual({ error: { code: 'LOG_NOT_FOUND', message: 'tile/0/001 is not stored' } });
    expect(cache).toBe('no-store');
  });

  it('answers a 500 with its code but without its message, which names server paths', async () => {
    const { status, body, raw } = await answer('GET', '/store-failed');
    expect(status).toBe(500);
    expect(body).toEqual({ error: { code: 'STORE_IO', message: INTERNAL_MESSAGE } });
    expect(raw).not.toContain(SECRET_PATH);
  });

  it('answers INTERNAL for a code no route should meet (one without an HTTP status)', async () => {
    const { status, body, raw } = await answer('GET', '/no-status');
    expect(status).toBe(500);
    expect(body).toEqual({ error: { code: 'INTERNAL', message: INTERNAL_MESSAGE } });
    expect(raw).not.toContain(SECRET_PATH);
  });

  it('answers INTERNAL as a 500 without its message', async () => {
    const { status, body } = await answer('GET', '/internal');
    expect(status).toBe(500);
    expect(body).toEqual({ error: { code: 'INTERNAL', message: INTERNAL_MESSAGE } });
  });
});

describe('when a route throws anything else', () => {
  it.each(['/bug', '/string'])('answers %s with 500 INTERNAL and no detail', async (url) => {
    const { status, body, raw } = await answer('GET', url);
    expect(status).toBe(500);
    expect(body).toEqual({ error: { code: 'INTERNAL', message: INTERNAL_MESSAGE } });
    expect(raw).not.toContain(SECRET_PATH);
  });
});

describe('when Fastify refuses the request itself', () => {
  it("answers a body over the limit with the route's error, naming that route's limit", async () => {
    const small = await answer('POST', '/small', JSON.stringify({ text: 'x'.repeat(20) }));
    expect(small.status).toBe(413);
    expect(small.body.error).toEqual({ code: 'LOG_ENTRY_TOO_LARGE', message: 'at most 10 bytes' });
    const large = await answer('POST', '/large', JSON.stringify({ text: 'x'.repeat(200) }));
    expect(large.status).toBe(413);
    expect(large.body.error.message).toBe('at most 100 bytes');
  });

  it('keeps the 4xx Fastify gives a malformed request, as LOG_USAGE with its message', async () => {
    const { status, body } = await answer('POST', '/large', '{"text": ');
    expect(status).toBe(400);
    expect(body.error.code).toBe('LOG_USAGE');
    expect(body.error.message).not.toBe('');
  });

  it('keeps 415 for a content type no parser takes', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/large',
      payload: '<xml/>',
      headers: { 'content-type': 'application/xml' },
    });
    expect(response.statusCode).toBe(415);
    expect(response.json<ErrorBody>().error.code).toBe('LOG_USAGE');
  });
});
