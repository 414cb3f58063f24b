import { describe, expect, it } from 'vitest';
import { redactStoreUrl, resolveStoreLocation, storeUrlProblem } from './store-url.js';

describe('the store URL', () => {
  describe('when none is given', () => {
    it('is the embedded database in the data directory', () => {
      expect(resolveStoreLocation(undefined, '.nospy')).toEqual({
        kind: 'sqlite',
        dataDir: '.nospy',
      });
    });
  });

  it.each([
    ['sqlite:/srv/nospy', '/srv/nospy'],
    ['sqlite:///srv/nospy', '/srv/nospy'],
    ['sqlite:data', 'data'],
    ['/srv/nospy', '/srv/nospy'],
    ['relative/dir', 'relative/dir'],
    ['C:\\nospy', 'C:\\nospy'],
  ])('reads %s as the embedded database in %s', (url, dataDir) => {
    expect(storeUrlProblem(url)).toBeUndefined();
    expect(resolveStoreLocation(url, '.nospy')).toEqual({ kind: 'sqlite', dataDir });
  });

  it.each(['postgres://root@127.0.0.1:5432/nospy', 'postgresql://db/nospy?sslmode=require'])(
    'reads %s as PostgreSQL, never as the embedded database',
    (url) => {
      expect(resolveStoreLocation(url, '.nospy')).toEqual({ kind: 'postgres', url });
    },
  );

  describe('when the scheme is another', () => {
    it.each(['mysql://u@db/nospy', 'file:/srv/nospy', 'https://db.example/nospy'])(
      'refuses %s, naming the accepted forms',
      (url) => {
        const problem = storeUrlProblem(url);
        expect(problem).toContain('is not supported');
        expect(problem).toContain('sqlite:<directory>');
        expect(problem).toContain('postgres://');
        expect(() => resolveStoreLocation(url, '.nospy')).toThrow(/not supported/);
      },
    );

    it('refuses sqlite: with no directory and postgres: with no //', () => {
      expect(storeUrlProblem('sqlite:')).toContain('names no directory');
      expect(storeUrlProblem('postgres:nospy')).toContain('is not a PostgreSQL URL');
    });
  });

  it('hides the password when it is shown', () => {
    expect(redactStoreUrl('postgres://nospy:s3cret@db:5432/log')).toBe(
      'postgres://nospy:***@db:5432/log',
    );
    expect(redactStoreUrl('postgres://nospy@db/log')).toBe('postgres://nospy@db/log');
  });
});
