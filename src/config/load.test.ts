import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from './errors.js';
import { loadConfig } from './load.js';

function configFile(text: string): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'nospy-config-'));
  const file = join(dir, 'nospy.yaml');
  writeFileSync(file, text);
  return { dir, file };
}

function errorOf(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loading the configuration', () => {
  describe('when there is no file and no environment', () => {
    it('returns the defaults', () => {
      const { dir } = configFile('');
      const { config, file } = loadConfig({ env: {}, cwd: join(dir, 'nowhere') });
      expect(file).toBeUndefined();
      expect(config.server).toMatchObject({ host: '127.0.0.1', port: 8080 });
      expect(config.logging).toEqual({ level: 'info', pretty: false });
      expect(config.data).toBe('.nospy');
    });
  });

  describe('which sections were named', () => {
    it('holds those the file, the environment or a flag set, and no section of defaults only', () => {
      const { file } = configFile('check:\n  date: 2026-06-01\n');
      const loaded = loadConfig({
        file,
        env: { NOSPY_LOGGING_LEVEL: 'warn' },
        flags: [{ flag: '--data', path: ['data'], value: 'd' }],
      });
      expect([...loaded.named].sort()).toEqual(['check', 'data', 'logging']);
      expect(loaded.named.has('server')).toBe(false);
    });
  });

  describe('when ./nospy.yaml exists', () => {
    it('reads it without being named', () => {
      const { dir, file } = configFile('server:\n  port: 9000\n');
      const loaded = loadConfig({ env: {}, cwd: dir });
      expect(loaded.file).toBe(file);
      expect(loaded.config.server.port).toBe(9000);
    });
  });

  describe('when a setting is given in several places', () => {
    it('takes flags over NOSPY_* environment over the file over defaults', () => {
      const { file } = configFile(
        'server:\n  port: 9000\n  host: 0.0.0.0\nlogging:\n  level: warn\n',
      );
      const env = { NOSPY_SERVER_PORT: '9100', NOSPY_LOGGING_LEVEL: 'debug' };
      const { config } = loadConfig({
        file,
        env,
        flags: [{ flag: '--port', path: ['server', 'port'], value: 9200 }],
      });
      expect(config.server.port).toBe(9200);
      expect(config.logging.level).toBe('debug');
      expect(config.server.host).toBe('0.0.0.0');
    });

    it('finds the file through NOSPY_CONFIG when --config is absent', () => {
      const { file } = configFile('data: /srv/nospy\n');
      expect(loadConfig({ env: { NOSPY_CONFIG: file } }).config.data).toBe('/srv/nospy');
    });

    it('reads DATABASE_URL into store.url', () => {
      const { config } = loadConfig({
        env: { DATABASE_URL: 'postgres://u:p@db/nospy' },
        cwd: tmpdir(),
      });
      expect(config.store.url).toBe('postgres://u:p@db/nospy');
    });

    it('prefers NOSPY_STORE_URL to DATABASE_URL', () => {
      const { config } = loadConfig({
        env: { DATABASE_URL: 'postgres://u@db/other', NOSPY_STORE_URL: 'sqlite:/srv/nospy' },
        cwd: tmpdir(),
      });
      expect(config.store.url).toBe('sqlite:/srv/nospy');
    });

    it('refuses a store scheme it does not know, naming the variable and the accepted ones', () => {
      const error = errorOf(() =>
        loadConfig({ env: { DATABASE_URL: 'mysql://u@db/nospy' }, cwd: tmpdir() }),
      );
      expect(error).toMatchObject({ code: 'CONFIG_INVALID', where: 'DATABASE_URL' });
      expect(error.message).toContain('"mysql:" is not supported');
      expect(error.message).toContain('postgres://');
      expect(error.message).toContain('sqlite:<directory>');
    });
  });

  describe('when a field is wrong', () => {
    it('names file:line:column of an unknown field', () => {
      const { file } = configFile('logging:\n  level: info\n  colour: true\n');
      const error = errorOf(() => loadConfig({ file, env: {} }));
      expect(error.code).toBe('CONFIG_INVALID');
      expect(error.message).toBe(`${file}:3:3: unknown field "logging.colour"`);
    });

    it('names file:line:column of a value of the wrong type', () => {
      const { file } = configFile('server:\n  port: eighty\n');
      const error = errorOf(() => loadConfig({ file, env: {} }));
      expect(error.where).toBe(`${file}:2:9`);
      expect(error.message).toContain('field "server.port"');
    });

    it('reports every problem, each with its place', () => {
      const { file } = configFile('server:\n  port: -1\nlogging:\n  level: loud\n');
      const error = errorOf(() => loadConfig({ file, env: {} }));
      expect(error.message.split('\n')).toHaveLength(2);
      expect(error.message).toContain(`${file}:2:9`);
      expect(error.message).toContain(`${file}:4:10`);
    });

    it('names the environment variable when the bad value came from there', () => {
      const error = errorOf(() =>
        loadConfig({ env: { NOSPY_SERVER_PORT: '99999' }, cwd: tmpdir() }),
      );
      expect(error.where).toBe('NOSPY_SERVER_PORT');
    });

    it('names the flag when the bad value came from a flag', () => {
      const error = errorOf(() =>
        loadConfig({
          env: {},
          cwd: tmpdir(),
          flags: [{ flag: '--port', path: ['server', 'port'], value: 'x' }],
        }),
      );
      expect(error.where).toBe('--port');
    });
  });

  describe('when the file is not YAML', () => {
    it('names the line and column of the syntax error', () => {
      const { file } = configFile('server:\n  port: [1, 2\n');
      const error = errorOf(() => loadConfig({ file, env: {} }));
      expect(error.code).toBe('CONFIG_SYNTAX');
      expect(error.where).toMatch(new RegExp(`^${file}:\\d+:\\d+$`));
    });

    it('rejects a top level that is not a mapping', () => {
      const { file } = configFile('- a\n- b\n');
      expect(errorOf(() => loadConfig({ file, env: {} })).code).toBe('CONFIG_INVALID');
    });
  });

  describe('when the named file does not exist', () => {
    it('fails with CONFIG_NOT_FOUND', () => {
      expect(errorOf(() => loadConfig({ file: '/nonexistent/nospy.yaml', env: {} })).code).toBe(
        'CONFIG_NOT_FOUND',
      );
    });
  });
});
