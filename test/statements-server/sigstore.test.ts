import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { acceptStatement } from '../../src/statements/accept.js';
import { serializeEnvelope } from '../../src/statements/dsse.js';
import { parseDsseEntry } from '../../src/statements/sigstore/rekor-dsse.js';
import { leafHash } from '../../src/tlog/hash.js';
import { parseTlogProof } from '../../src/tlog/proof-bundle.js';
import { verifyInclusion } from '../../src/tlog/proof.js';
import { openCheckpoint } from '../../src/tlog/checkpoint.js';
import {
  postStatement,
  signedExample,
  startServer,
  tempDir,
  type RunningServer,
} from './helpers.js';

let temp: ReturnType<typeof tempDir>;
let server: RunningServer;

beforeAll(async () => {
  temp = tempDir();
  server = await startServer({ dir: temp.dir });
});
afterAll(async () => {
  await server.close();
  temp.remove();
});

interface SigstoreAnswer {
  index: number;
  entries: { keyid: string; index: number; leafHash: string; entry: string; proof: string }[];
  missing: string[];
}

async function sigstoreOf(index: number | string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${server.url}/v1/statements/${index}/sigstore`);
  return { status: response.status, body: await response.json() };
}

describe('POST /v1/statements', () => {
  it('logs a Sigstore entry of each signature right beside the statement', async () => {
    const access = signedExample('access');
    const response = await postStatement(server.url, serializeEnvelope(access));
    expect(response.status).toBe(200);
    const { index } = (await response.json()) as { index: number };
    const { status, body } = await sigstoreOf(index);
    expect(status).toBe(200);
    const answer = body as SigstoreAnswer;
    expect(answer.missing).toEqual([]);
    expect(answer.entries.map((e) => e.index).sort()).toEqual(
      access.signatures.map((_, i) => index + 1 + i),
    );
    const { checkpoint } = openCheckpoint(server.log.sequencer.checkpoint.note, server.logKey);
    for (const e of answer.entries) {
      const entry = Buffer.from(e.entry, 'base64');
      expect(leafHash(entry).toString('hex')).toBe(e.leafHash);
      const parsed = parseDsseEntry(entry);
      expect(access.signatures.some((s) => s.sig.equals(parsed.signature))).toBe(true);
      const proof = parseTlogProof(e.proof);
      expect(proof.index).toBe(e.index);
      verifyInclusion(leafHash(entry), e.index, checkpoint.size, proof.proof, checkpoint.rootHash);
    }
  });
});

describe('a statement logged before nospy wrote Sigstore entries', () => {
  let index: number;

  beforeAll(async () => {
    // As an older nospy logged it: the canonical envelope alone.
    const accepted = acceptStatement(serializeEnvelope(signedExample('canary')), server.trust, {
      now: new Date(),
    });
    ({ index } = await server.log.sequencer.add(accepted.entry));
  });

  it('is listed with its signature missing a Sigstore entry', async () => {
    const { status, body } = await sigstoreOf(index);
    expect(status).toBe(200);
    expect(body).toMatchObject({ index, entries: [], missing: [expect.any(String)] });
  });

  it('gets its Sigstore entry when it is published again, and stays at its index', async () => {
    const before = server.log.sequencer.checkpoint.size;
    const response = await postStatement(server.url, serializeEnvelope(signedExample('canary')));
    expect(((await response.json()) as { index: number }).index).toBe(index);
    const answer = (await sigstoreOf(index)).body as SigstoreAnswer;
    expect(answer.missing).toEqual([]);
    expect(answer.entries.map((e) => e.index)).toEqual([before]);
    // Once there, publishing again adds nothing.
    await postStatement(server.url, serializeEnvelope(signedExample('canary')));
    expect(server.log.sequencer.checkpoint.size).toBe(before + 1);
  });
});

describe('a log holding Sigstore entries', () => {
  it('verifies entry by entry and stays consistent as it grows (nospy log verify)', async () => {
    const state = join(temp.dir, 'monitor-state.json');
    const verify = () =>
      runCli([
        '--json',
        'log',
        'verify',
        server.url,
        '--trust',
        server.trustFile,
        '--state',
        state,
      ]);
    const first = await verify();
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const before = JSON.parse(first.stdout) as { size: number; entries: number };
    expect(before.entries).toBe(before.size);
    const response = await postStatement(
      server.url,
      serializeEnvelope(signedExample('deployment')),
    );
    expect(response.status).toBe(200);
    const second = await verify();
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({
      ok: true,
      previousSize: before.size,
      size: server.log.sequencer.checkpoint.size,
    });
    expect(server.log.sequencer.checkpoint.size).toBeGreaterThan(before.size);
  });
});

describe('GET /v1/statements/<index>/sigstore', () => {
  it('answers 404 STATEMENT_NOT_FOUND for an entry that is not a statement', async () => {
    const { index } = await server.log.sequencer.add(Buffer.from('not a statement'));
    const { status, body } = await sigstoreOf(index);
    expect(status).toBe(404);
    expect(body).toMatchObject({ error: { code: 'STATEMENT_NOT_FOUND' } });
  });

  it('answers 400 LOG_USAGE for an index that is not a number', async () => {
    const { status, body } = await sigstoreOf('x1');
    expect(status).toBe(400);
    expect(body).toMatchObject({ error: { code: 'LOG_USAGE' } });
  });
});
