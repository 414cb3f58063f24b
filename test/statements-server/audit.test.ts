import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlobClient } from '../../src/blobs/client.js';
import { serializeEnvelope } from '../../src/statements/dsse.js';
import { keyHandle } from '../../src/tlog/note-key.js';
import {
  key,
  postStatement,
  signedExample,
  startServer,
  tempDir,
  type RunningServer,
} from './helpers.js';

const lines: Record<string, unknown>[] = [];
const sink = new Writable({
  write(chunk: Buffer, _encoding, done) {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
    }
    done();
  },
});
const audits = (action: string) =>
  lines
    .map((l) => l.audit as Record<string, unknown> | undefined)
    .filter((a) => a?.action === action);

let temp: ReturnType<typeof tempDir>;
let server: RunningServer;
beforeAll(async () => {
  temp = tempDir();
  server = await startServer({
    dir: join(temp.dir, 'log'),
    logger: pino({ level: 'info' }, sink),
    submitToken: 'operator-secret',
  });
});
afterAll(async () => {
  await server.close();
  temp.remove();
});

describe('the audit line of every write', () => {
  it('a statement: the keys that signed it, its type, vendor and resulting index', async () => {
    const response = await postStatement(server.url, serializeEnvelope(signedExample('release')));
    expect(response.status).toBe(200);
    expect(audits('statement.add')).toEqual([
      expect.objectContaining({
        by: { keys: [keyHandle(key('acme-vendor'))] },
        index: 0,
        type: 'release',
        vendor: 'acme',
      }),
    ]);
  });

  it("an entry: the token's name, never the token, and the resulting index", async () => {
    const response = await fetch(`${server.url}/add`, {
      method: 'POST',
      headers: { authorization: 'Bearer operator-secret' },
      body: 'an entry',
    });
    expect(response.status).toBe(200);
    // The index the server answered (a statement before it took one entry per signature too).
    const { index } = (await response.json()) as { index: number };
    expect(audits('entry.add')).toEqual([
      expect.objectContaining({ by: { token: 'submit-token' }, index }),
    ]);
    expect(JSON.stringify(lines)).not.toContain('operator-secret');
  });

  it('a blob: the vendor key that signed the upload and the digest', async () => {
    const bytes = Buffer.from('{"bomFormat":"CycloneDX"}');
    await new BlobClient(server.url).put(bytes, { signer: key('acme-vendor') });
    expect(audits('blob.put')).toEqual([
      {
        action: 'blob.put',
        by: { keys: [keyHandle(key('acme-vendor'))] },
        digest: `sha256:${createHash('sha256').update(bytes).digest('hex')}`,
        created: true,
      },
    ]);
  });
});
