import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { acceptStatement } from '../../statements/accept.js';
import { addSignature, serializeEnvelope } from '../../statements/dsse.js';
import { StatementError } from '../../statements/errors.js';
import { loadPrivateKeyFile, loadStatementFile, loadTrustFile } from '../../statements/files.js';
import { signStatement } from '../../statements/sign.js';
import { sigstoreEntriesOf } from '../../statements/sigstore/statement-entries.js';
import { generateNoteKey } from '../../tlog/note-key.js';
import { StatementAcceptPool } from './accept-pool.js';

const examples = fileURLToPath(new URL('../../../examples/', import.meta.url));
const acme = loadPrivateKeyFile(`${examples}keys/example-acme-vendor.key`);
const telco = loadPrivateKeyFile(`${examples}keys/example-telco-operator.key`);
const trust = loadTrustFile(`${examples}statements/trust.yaml`);
const release = loadStatementFile(`${examples}statements/release.yaml`).statement;
const access = loadStatementFile(`${examples}statements/access.yaml`).statement;
const now = new Date('2026-05-01T00:00:00Z');

const onThreads = new StatementAcceptPool(trust, 2);
const inPlace = new StatementAcceptPool(trust, 0);
afterAll(async () => {
  await onThreads.close();
  await inPlace.close();
});

async function refusal(pool: StatementAcceptPool, body: Buffer): Promise<StatementError> {
  const error: unknown = await pool.accept(body, now).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (error instanceof StatementError) return error;
  throw new Error(`expected a StatementError, got ${String(error)}`);
}

describe.each([
  ['on worker threads', onThreads],
  ['in place (threads: 0)', inPlace],
])('StatementAcceptPool %s', (_name, pool) => {
  it('answers what acceptStatement answers, with the Sigstore entries, as Buffers', async () => {
    const body = serializeEnvelope(addSignature(signStatement(access, acme), telco));
    const expected = acceptStatement(body, trust, { now });
    const accepted = await pool.accept(body, now);
    expect(Buffer.isBuffer(accepted.entry)).toBe(true);
    expect(accepted.entry.equals(expected.entry)).toBe(true);
    expect(accepted.payload).toBe(expected.payload);
    expect(accepted.index).toEqual(expected.index);
    expect(accepted.canonical.signers).toEqual(expected.canonical.signers);
    expect(accepted.canonical.envelope.payload.equals(expected.envelope.payload)).toBe(true);
    expect(accepted.sigstoreEntries).toEqual(
      sigstoreEntriesOf(expected.canonical).map((s) => s.entry),
    );
  });

  it('judges many submissions at once, each answered by its own id', async () => {
    const bodies = Array.from({ length: 40 }, (_, i) =>
      serializeEnvelope(
        signStatement(
          release.predicateType === 'https://nospy.dev/predicates/release/v1'
            ? { ...release, predicate: { ...release.predicate, version: `9.${i}` } }
            : release,
          acme,
        ),
      ),
    );
    const accepted = await Promise.all(bodies.map((body) => pool.accept(body, now)));
    accepted.forEach((a, i) => {
      expect(a.entry.equals(acceptStatement(bodies[i]!, trust, { now }).entry)).toBe(true);
    });
  });

  describe('when a signature verifies under no key of the trust file', () => {
    it('rejects it with STATEMENT_SIGNATURE_UNTRUSTED, naming the signature', async () => {
      const stranger = generateNoteKey('stranger.example');
      const error = await refusal(pool, serializeEnvelope(signStatement(release, stranger)));
      expect(error.code).toBe('STATEMENT_SIGNATURE_UNTRUSTED');
      expect(error.where).toBe('signatures[0]');
    });
  });

  describe('when the body is not an envelope', () => {
    it('rejects it with STATEMENT_ENVELOPE_INVALID', async () => {
      const error = await refusal(pool, Buffer.from('{"payloadType": 1}'));
      expect(error.code).toBe('STATEMENT_ENVELOPE_INVALID');
    });
  });
});
