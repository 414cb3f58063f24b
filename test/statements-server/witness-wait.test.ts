import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serializeEnvelope } from '../../src/statements/dsse.js';
import { generateNoteKey } from '../../src/tlog/note-key.js';
import { runCli } from '../helpers/run-cli.js';
import {
  postStatement,
  signedExample,
  startServer,
  startWitness,
  tempDir,
  type RunningServer,
  type RunningWitness,
} from './helpers.js';

describe('when the witness quorum cannot be reached', () => {
  let temp: ReturnType<typeof tempDir>;
  let witness: RunningWitness;
  let server: RunningServer;
  let port: number;
  const logKey = generateNoteKey('log.example/witness-wait');

  beforeAll(async () => {
    temp = tempDir();
    witness = await startWitness(join(temp.dir, 'witness'), logKey);
    port = Number(new URL(witness.url).port);
    // The witness goes down before the first entry: its port now refuses connections.
    await witness.close();
    server = await startServer({
      dir: join(temp.dir, 'log'),
      logKey,
      trustWitnesses: [witness.signer],
      trustQuorum: 1,
      witnesses: [{ verifier: witness.signer, url: witness.url }],
      witnessQuorum: 1,
      witnessWaitMs: 500,
    });
  });
  afterAll(async () => {
    await server.close();
    await witness.close();
    temp.remove();
  });

  it('answers a writer 503 with Retry-After and the witness that failed, after a bounded wait', async () => {
    const response = await postStatement(server.url, serializeEnvelope(signedExample('release')));
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('1');
    const body = (await response.json()) as {
      error: { code: string; message: string };
      witnesses: { cosigned: number; quorum: number; failed: { name: string; url: string }[] };
    };
    expect(body.error.code).toBe('LOG_WITNESS_PENDING');
    expect(body.witnesses.cosigned).toBe(0);
    expect(body.witnesses.quorum).toBe(1);
    expect(body.witnesses.failed.map((f) => [f.name, f.url])).toEqual([
      ['witness.example/w', witness.url],
    ]);
    expect(body.error.message).toContain(witness.url);
  });

  it('nospy statement publish prints its progress on stderr and exits 2 with the reason at --timeout', async () => {
    const file = join(temp.dir, 'canary.json');
    writeFileSync(file, serializeEnvelope(signedExample('canary')));
    const result = await runCli([
      'statement',
      'publish',
      '--server',
      server.url,
      '--timeout',
      '2',
      file,
    ]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('waiting for witness cosignatures: 0/1');
    expect(result.stderr).toContain('STATEMENT_PUBLISH_TIMEOUT');
    expect(result.stderr).toContain('not published within 2 s');
    expect(result.stderr).toContain(witness.url);
  });

  it('publishes the same envelope once the witness is back, at the index it was sequenced at', async () => {
    const file = join(temp.dir, 'release.json');
    writeFileSync(file, serializeEnvelope(signedExample('release')));
    witness = await startWitness(join(temp.dir, 'witness'), logKey, {
      signer: witness.signer,
      port,
    });
    const result = await runCli([
      'statement',
      'publish',
      '--server',
      server.url,
      '--timeout',
      '30',
      '--json',
      file,
    ]);
    expect(result.stderr).not.toContain('STATEMENT_PUBLISH_TIMEOUT');
    expect(result.code).toBe(0);
    // The first test's POST sequenced it at 0 before any quorum: the retry is answered with it.
    expect((JSON.parse(result.stdout) as { index: number }).index).toBe(0);
  });
});
