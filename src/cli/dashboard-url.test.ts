import { describe, expect, it } from 'vitest';
import { configSchema } from '../config/schema.js';
import type { LoadedConfig } from '../config/load.js';
import { dashboardAddress } from './dashboard-url.js';

function loaded(input: Record<string, unknown>): LoadedConfig {
  return { config: configSchema.parse(input), file: undefined, named: new Set(Object.keys(input)) };
}

describe("the dashboard's address", () => {
  it('is that of the server the configuration names', () => {
    expect(dashboardAddress(loaded({ server: { port: 9000 } }))).toEqual({
      url: 'http://127.0.0.1:9000/',
      token: false,
    });
  });

  it('is none when the configuration names no server (its defaults say nothing)', () => {
    expect(dashboardAddress(loaded({ check: { date: '2026-06-01' } }))).toBeUndefined();
  });

  it('says a read token is needed when the server has a tokens file', () => {
    expect(dashboardAddress(loaded({ server: { tokens: 'tokens.json' } }))?.token).toBe(true);
  });

  it('is reached as localhost when the server listens on every address', () => {
    expect(dashboardAddress(loaded({ server: { host: '0.0.0.0' } }))?.url).toBe(
      'http://localhost:8080/',
    );
    expect(dashboardAddress(loaded({ server: { host: '::' } }))?.url).toBe(
      'http://localhost:8080/',
    );
  });

  it('writes an IPv6 address in brackets', () => {
    expect(dashboardAddress(loaded({ server: { host: '::1' } }))?.url).toBe('http://[::1]:8080/');
  });

  it('is none on port 0, a port chosen when the server starts', () => {
    expect(dashboardAddress(loaded({ server: { port: 0 } }))).toBeUndefined();
  });
});
