import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { verifyBundle } from '../../src/statements/bundle.js';
import { serializeEnvelope } from '../../src/statements/dsse.js';
import { openCheckpoint } from '../../src/tlog/checkpoint.js';
import { parseTlogProof } from '../../src/tlog/proof-bundle.js';
import { generateNoteKey } from '../../src/tlog/note-key.js';
import {
  postStatement,
  signedExample,
  startServer,
  startWitness,
  tempDir,
  trustFor,
  type RunningServer,
  type RunningWitness,
} from './helpers.js';

describe('with a witness quorum configured', () => {
  let temp: ReturnType<typeof tempDir>;
  let witness: RunningWitness;
  let server: RunningServer;
  const logKey = generateNoteKey('log.example/quorum');

  beforeAll(async () => {
    temp = tempDir();
    witness = await startWitness(join(temp.dir, 'witness'), logKey);
    server = await startServer({
      dir: join(temp.dir, 'log'),
      logKey,
      trustWitnesses: [witness.signer],
      trustQuorum: 1,
      witnesses: [{ verifier: witness.signer, url: witness.url }],
      witnessQuorum: 1,
    });
  });
  afterAll(async () => {
    await server.close();
    await witness.close();
    temp.remove();
  });

  it('answers a proof against the checkpoint the witness cosigned, which verifies with the quorum', async () => {
    const envelope = signedExample('release');
    const response = await postStatement(server.url, serializeEnvelope(envelope));
    expect(response.status).toBe(200);
    const { proof } = (await response.json()) as { proof: string };
    const { checkpoint } = parseTlogProof(proof);
    const opened = openCheckpoint(checkpoint, logKey, { witnesses: [witness.signer], quorum: 1 });
    expect(opened.cosignatures).toHaveLength(1);
    const trust = trustFor(logKey, [witness.signer], 1);
    const result = verifyBundle({ envelope, proof }, trust, { now: new Date() });
    expect(result.checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('fails a bundle whose checkpoint lacks the quorum, naming the quorum', async () => {
    const envelope = signedExample('canary');
    const response = await postStatement(server.url, serializeEnvelope(envelope));
    const { proof } = (await response.json()) as { proof: string };
    // The same proof with the cosignature lines removed: only the log's signature remains.
    const parsed = parseTlogProof(proof);
    const logOnly = parsed.checkpoint
      .split('\n')
      .filter((line) => !line.startsWith('— witness.example/w '))
      .join('\n');
    expect(logOnly).not.toBe(parsed.checkpoint);
    const stripped = proof.slice(0, proof.length - parsed.checkpoint.length) + logOnly;
    const trust = trustFor(logKey, [witness.signer], 1);
    const result = verifyBundle({ envelope, proof: stripped }, trust, { now: new Date() });
    expect(result.valid).toBe(false);
    const failed = result.checks.filter((c) => c.status === 'fail');
    expect(failed.map((c) => c.id)).toEqual(['witness-quorum']);
    expect(failed[0]?.message).toContain('witness quorum of 1 not met');
  });
});
