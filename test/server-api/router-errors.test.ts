import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { generateNoteKey } from '../../src/tlog/note-key.js';
import { openLog, type OpenLog } from '../../src/log/open-log.js';
import { createServer, type LogServer } from '../../src/server/server.js';
import { FsBlobStore } from '../../src/blobs/fs-blob-store.js';
import { tempDir } from '../log/helpers.js';
import { FixedSnapshotSource } from './fixed-snapshot-source.js';

let app: LogServer;
let log: OpenLog;
let remove: () => void;

beforeAll(async () => {
  const temp = tempDir('nospy-router-errors-');
  remove = temp.remove;
  log = await openLog({ dataDir: temp.dir, signer: generateNoteKey('log.example/test') });
  app = createServer({
    log: log.sequencer,
    store: log.store,
    logger: pino({ level: 'silent' }),
    snapshots: new FixedSnapshotSource(),
    blobs: new FsBlobStore({ root: `${temp.dir}/blobs` }),
    submitToken: 'submit',
    onClose: () => log.close(),
  });
  await app.ready();
});

afterAll(async () => {
  await app.close();
  remove();
});

// Found by fuzzing the request paths: Fastify's router answered these in its own shape
// ({"error": "Bad Request", "code": "FST_ERR_MAX_PARAM_LENGTH", …}), not the one docs/api.md promises.
describe('when a path parameter is longer than the router takes', () => {
  const long = `sha256:${'b'.repeat(120)}`;
  for (const [method, url] of [
    ['GET', `/v1/blobs/${long}`],
    ['PUT', `/v1/blobs/${long}`],
    ['GET', `/proof/${'1'.repeat(120)}`],
    ['GET', `/v1/statements/${'1'.repeat(120)}`],
    ['GET', `/v1/findings/${'f'.repeat(120)}`],
  ] as const) {
    it(`answers ${method} ${url.slice(0, 24)}… with 414 in the API's error shape`, async () => {
      const response = await app.inject({
        method,
        url,
        headers: { authorization: 'Bearer submit' },
        ...(method === 'PUT' ? { payload: 'x' } : {}),
      });
      expect(response.statusCode).toBe(414);
      expect(response.json()).toEqual({
        error: {
          code: 'LOG_USAGE',
          message: expect.stringContaining('max param length') as unknown,
        },
      });
    });
  }
});
