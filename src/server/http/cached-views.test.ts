import { gunzipSync, brotliDecompressSync } from 'node:zlib';
import { fastify } from 'fastify';
import { describe, expect, it } from 'vitest';
import { cacheViews } from './cached-views.js';

function server() {
  let version = { n: 1 };
  let runs = 0;
  const app = fastify();
  void app.register((scope, _options, done) => {
    cacheViews(scope, () => Promise.resolve(version));
    scope.get('/view', () => {
      runs += 1;
      return { version: version.n, runs, filler: 'x'.repeat(4096) };
    });
    scope.get('/missing', (_request, reply) => reply.code(404).send({ error: 'no' }));
    done();
  });
  return {
    app,
    runs: () => runs,
    grow: () => {
      version = { n: version.n + 1 };
    },
  };
}

describe('cached views', () => {
  it('answers a repeated read from the first serialisation, with the same entity tag', async () => {
    const s = server();
    const first = await s.app.inject('/view');
    const second = await s.app.inject('/view');
    expect(first.statusCode).toBe(200);
    expect(second.body).toBe(first.body);
    expect(second.headers.etag).toBe(first.headers.etag);
    expect(s.runs()).toBe(1);
  });

  it('answers 304 with no body to a client that holds the current view', async () => {
    const s = server();
    const first = await s.app.inject('/view');
    const etag = String(first.headers.etag);
    const again = await s.app.inject({ url: '/view', headers: { 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    const weak = await s.app.inject({ url: '/view', headers: { 'if-none-match': `W/${etag}` } });
    expect(weak.statusCode).toBe(304);
  });

  it('recomputes once the data version changes, and the old tag no longer matches', async () => {
    const s = server();
    const first = await s.app.inject('/view');
    s.grow();
    const after = await s.app.inject({
      url: '/view',
      headers: { 'if-none-match': String(first.headers.etag) },
    });
    expect(after.statusCode).toBe(200);
    expect(after.json()).toMatchObject({ version: 2 });
    expect(after.headers.etag).not.toBe(first.headers.etag);
    expect(s.runs()).toBe(2);
  });

  it('sends brotli or gzip as the client accepts, decoding to the same bytes', async () => {
    const s = server();
    const plain = await s.app.inject('/view');
    const br = await s.app.inject({ url: '/view', headers: { 'accept-encoding': 'gzip, br' } });
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(plain.body);
    const gz = await s.app.inject({
      url: '/view',
      headers: { 'accept-encoding': 'br;q=0, gzip' },
    });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).toString()).toBe(plain.body);
    expect(gz.headers.vary).toContain('accept-encoding');
  });

  it('keeps no error answer', async () => {
    const s = server();
    expect((await s.app.inject('/missing')).statusCode).toBe(404);
    const again = await s.app.inject('/missing');
    expect(again.statusCode).toBe(404);
    expect(again.headers.etag).toBeUndefined();
  });
});
