import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { envName, leafPaths, settingsFromEnv } from './env.js';
import { configSchema } from './schema.js';
import { loadConfig } from './load.js';

describe('the NOSPY_* variable name of a config field', () => {
  it('joins the path in upper snake case under NOSPY_', () => {
    expect(envName(['server', 'port'])).toBe('NOSPY_SERVER_PORT');
    expect(envName(['log', 'witnessQuorum'])).toBe('NOSPY_LOG_WITNESS_QUORUM');
  });

  test.prop([
    fc.array(fc.stringMatching(/^[a-z][a-zA-Z0-9]{0,10}$/), { minLength: 1, maxLength: 4 }),
  ])('always yields a valid environment variable name', (path) => {
    expect(envName(path)).toMatch(/^NOSPY_[A-Z0-9_]+$/);
  });
});

describe('settings read from NOSPY_* variables', () => {
  it('covers every leaf of the schema', () => {
    const paths = leafPaths(configSchema).map((p) => p.join('.'));
    expect(paths).toEqual(
      expect.arrayContaining(['data', 'server.port', 'logging.level', 'store.url']),
    );
  });

  it('reads values as YAML scalars', () => {
    const settings = settingsFromEnv(configSchema, {
      NOSPY_SERVER_PORT: '8081',
      NOSPY_LOGGING_PRETTY: 'true',
      NOSPY_DATA: '/srv/nospy',
    });
    const byName = Object.fromEntries(settings.map((s) => [s.variable, s.value]));
    expect(byName).toEqual({
      NOSPY_SERVER_PORT: 8081,
      NOSPY_LOGGING_PRETTY: true,
      NOSPY_DATA: '/srv/nospy',
    });
  });

  it('ignores variables that name no field', () => {
    expect(settingsFromEnv(configSchema, { NOSPY_NOTHING: 'x' })).toEqual([]);
  });

  it('reads NATS_URL as the bus, under NOSPY_NATS_URL', () => {
    const settings = (env: Record<string, string>) =>
      settingsFromEnv(configSchema, env).map((s) => [s.path.join('.'), s.value]);
    expect(settings({ NATS_URL: 'nats://a:4222' })).toEqual([['nats.url', 'nats://a:4222']]);
    expect(settings({ NATS_URL: 'nats://a:4222', NOSPY_NATS_URL: 'nats://b:4222' })).toEqual([
      ['nats.url', 'nats://a:4222'],
      ['nats.url', 'nats://b:4222'],
    ]);
  });
});

describe('list-valued settings from the environment', () => {
  const load = (env: Record<string, string>) =>
    loadConfig({ env, cwd: '/nonexistent-nospy-dir' }).config.check;

  it('reads NOSPY_CHECK_FLOWS comma-separated, blanks and empty items dropped', () => {
    expect(load({ NOSPY_CHECK_FLOWS: 'a.ndjson, b.ndjson,,' }).flows).toEqual([
      'a.ndjson',
      'b.ndjson',
    ]);
  });

  it('reads NOSPY_CHECK_PACKS as a JSON array', () => {
    expect(load({ NOSPY_CHECK_PACKS: '["uk-tsa-huawei-dvd", "packs/own.yaml"]' }).packs).toEqual([
      'uk-tsa-huawei-dvd',
      'packs/own.yaml',
    ]);
  });

  it('reads one item as a list of one', () => {
    expect(load({ NOSPY_CHECK_SBOMS: 'sbom.cdx.json' }).sboms).toEqual(['sbom.cdx.json']);
  });

  it('takes objects in a JSON array where the file takes them (check.firmware)', () => {
    expect(
      load({ NOSPY_CHECK_FIRMWARE: '[{"image": "fw.bin", "mud": "mud.json"}]' }).firmware,
    ).toEqual([{ image: 'fw.bin', mud: 'mud.json' }]);
  });
});
