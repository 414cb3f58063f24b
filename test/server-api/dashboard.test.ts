import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { generateNoteKey } from '../../src/tlog/note-key.js';
import { openLog } from '../../src/log/open-log.js';
import { createServer, type LogServer } from '../../src/server/server.js';
import { tempDir } from '../log/helpers.js';
import { FixedSnapshotSource } from './fixed-snapshot-source.js';

let app: LogServer;
let remove: () => void;

beforeAll(async () => {
  const temp = tempDir('nospy-dashboard-');
  remove = temp.remove;
  const web = join(temp.dir, 'web');
  mkdirSync(join(web, 'assets'), { recursive: true });
  writeFileSync(join(web, 'index.html'), '<!doctype html><title>nospy</title>');
  writeFileSync(join(web, 'assets', 'index-abc.js'), 'console.log(1)');
  const log = await openLog({ dataDir: temp.dir, signer: generateNoteKey('log.example/test') });
  app = createServer({
    log: log.sequencer,
    store: log.store,
    logger: pino({ level: 'silent' }),
    snapshots: new FixedSnapshotSource(),
    dashboard: web,
    onClose: () => log.close(),
  });
  await app.ready();
});

afterAll(async () => {
  await app.close();
  remove();
});

describe('the dashboard', () => {
  it('serves index.html at / and hashed assets cached for good', async () => {
    const index = await app.inject({ method: 'GET', url: '/' });
    expect(index.statusCode).toBe(200);
    expect(index.headers['content-type']).toContain('text/html');
    expect(index.body).toContain('<title>nospy</title>');
    const asset = await app.inject({ method: 'GET', url: '/assets/index-abc.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['content-type']).toContain('text/javascript');
    expect(asset.headers['cache-control']).toContain('immutable');
  });

  describe('when an asset path is not one of the built files', () => {
    it.each([
      '/assets/nope.js',
      '/assets/..%2Findex.html',
      '/assets/%2e%2e%2f%2e%2e%2fpackage.json',
    ])('answers 404 for %s', async (url) => {
      expect((await app.inject({ method: 'GET', url })).statusCode).toBe(404);
    });
  });

  it('leaves the API and log paths to their routes', async () => {
    expect((await app.inject({ method: 'GET', url: '/v1/summary' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/checkpoint' })).statusCode).toBe(200);
  });
});
