import { describe, expect, it } from 'vitest';
import { configSchema } from '../../config/schema.js';
import { DEFAULT_SERVER_LIMITS, httpServerOptions, serverLimits } from './server-limits.js';
import { WriteAdmission } from './write-admission.js';

describe('the server limits', () => {
  it('default to what the config file defaults to', () => {
    expect(configSchema.parse({}).server).toMatchObject(DEFAULT_SERVER_LIMITS);
  });

  it('keep the header deadline within the request deadline, as Node requires', () => {
    const limits = serverLimits({ headersTimeoutMs: 5_000, requestTimeoutMs: 1_000 });
    expect(limits.headersTimeoutMs).toBe(1_000);
    expect(httpServerOptions(limits).http.connectionsCheckingInterval).toBeLessThanOrEqual(250);
  });

  it('ignore fields that are not limits (the config section has host and port)', () => {
    expect(Object.keys(serverLimits({ ...DEFAULT_SERVER_LIMITS, maxConnections: 3 }))).toEqual(
      Object.keys(DEFAULT_SERVER_LIMITS),
    );
  });
});

describe('write admission', () => {
  it('refuses a client beyond its writes in flight, and admits it again after a release', () => {
    const admission = new WriteAdmission({ writesPerClient: 2, writeBufferBytes: 1_000 });
    const a = admission.admit({ client: 'a', bufferedBytes: 1 });
    const b = admission.admit({ client: 'a', bufferedBytes: 1 });
    expect(admission.admit({ client: 'a', bufferedBytes: 1 })).toMatchObject({
      code: 'LOG_TOO_MANY_WRITES',
    });
    expect(typeof admission.admit({ client: 'b', bufferedBytes: 1 })).toBe('function');
    if (typeof a !== 'function' || typeof b !== 'function') throw new Error('not admitted');
    a();
    a();
    expect(typeof admission.admit({ client: 'a', bufferedBytes: 1 })).toBe('function');
  });

  it('refuses a body that would take the buffered bytes beyond the budget', () => {
    const admission = new WriteAdmission({ writesPerClient: 10, writeBufferBytes: 100 });
    const first = admission.admit({ client: 'a', bufferedBytes: 60 });
    expect(admission.admit({ client: 'b', bufferedBytes: 60 })).toMatchObject({
      code: 'LOG_OVERLOADED',
    });
    expect(typeof admission.admit({ client: 'b', bufferedBytes: 0 })).toBe('function');
    if (typeof first !== 'function') throw new Error('not admitted');
    first();
    expect(admission.usage.bufferedBytes).toBe(0);
  });
});
