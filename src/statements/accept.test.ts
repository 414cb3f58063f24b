import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generateNoteKey, keyHandle } from '../tlog/note-key.js';
import { acceptStatement } from './accept.js';
import { addSignature, MAX_ENVELOPE_BYTES, parseEnvelope, serializeEnvelope } from './dsse.js';
import { StatementError } from './errors.js';
import { loadPrivateKeyFile, loadStatementFile, loadTrustFile } from './files.js';
import { signStatement } from './sign.js';

const examples = fileURLToPath(new URL('../../examples/', import.meta.url));
const acme = loadPrivateKeyFile(`${examples}keys/example-acme-vendor.key`);
const telco = loadPrivateKeyFile(`${examples}keys/example-telco-operator.key`);
const trust = loadTrustFile(`${examples}statements/trust.yaml`);
const release = loadStatementFile(`${examples}statements/release.yaml`).statement;
const access = loadStatementFile(`${examples}statements/access.yaml`).statement;
const now = new Date('2026-05-01T00:00:00Z');

function rejection(body: string): StatementError {
  try {
    acceptStatement(body, trust, { now });
  } catch (error) {
    if (error instanceof StatementError) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('acceptStatement (the POST /v1/statements core)', () => {
  it('returns the canonical envelope bytes to append and the listing fields', () => {
    const envelope = signStatement(release, acme);
    const pretty = JSON.stringify(JSON.parse(serializeEnvelope(envelope).toString()), null, 2);
    const accepted = acceptStatement(pretty, trust, { now });
    expect(accepted.entry.equals(serializeEnvelope(envelope))).toBe(true);
    expect(accepted.index).toEqual({
      type: 'release',
      vendor: 'acme',
      subjects: [`sha256:${release.subject[0]!.digest.sha256}`],
    });
    expect(parseEnvelope(accepted.entry).payload.equals(envelope.payload)).toBe(true);
  });

  it('rejects a grant without the operator signature with STATEMENT_REJECTED naming the check', () => {
    const error = rejection(serializeEnvelope(signStatement(access, acme)).toString());
    expect(error.code).toBe('STATEMENT_REJECTED');
    expect(error.message).toMatch(
      /signer: access grant "GRANT-2026-0042" is missing its operator signature/,
    );
  });

  it('accepts the same grant once the operator has cosigned it', () => {
    const body = serializeEnvelope(addSignature(signStatement(access, acme), telco)).toString();
    expect(acceptStatement(body, trust, { now }).predicate).toBe('access');
  });

  it('rejects an extra signature by an unknown key: the log keeps only checkable signatures', () => {
    const body = serializeEnvelope(
      addSignature(signStatement(release, acme), generateNoteKey('x')),
    ).toString();
    const error = rejection(body);
    expect(error.code).toBe('STATEMENT_SIGNATURE_UNTRUSTED');
    expect(error.message).toMatch(/signature 1 \(keyid "x\+[0-9a-f]{8}"\) verifies under no key/);
  });

  it('stores the canonical form: keyids derived from the verifying keys, signatures sorted', () => {
    const hinted = {
      ...signStatement(release, acme),
      signatures: signStatement(release, acme).signatures.map((s) => ({ ...s, keyid: 'a hint' })),
    };
    const accepted = acceptStatement(serializeEnvelope(hinted), trust, { now });
    expect(accepted.envelope.signatures.map((s) => s.keyid)).toEqual([keyHandle(acme)]);
    expect(accepted.entry).toEqual(serializeEnvelope(signStatement(release, acme)));
  });

  it('answers malformed bodies with STATEMENT_ENVELOPE_INVALID and oversized ones with STATEMENT_ENVELOPE_TOO_LARGE', () => {
    expect(rejection('{').code).toBe('STATEMENT_ENVELOPE_INVALID');
    expect(rejection(' '.repeat(MAX_ENVELOPE_BYTES + 1)).code).toBe('STATEMENT_ENVELOPE_TOO_LARGE');
  });
});
