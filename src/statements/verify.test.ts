import { fileURLToPath } from 'node:url';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { generateNoteKey, type NoteSigner } from '../tlog/note-key.js';
import {
  addSignature,
  parseEnvelope,
  serializeEnvelope,
  signEnvelope,
  type Envelope,
} from './dsse.js';
import { StatementError } from './errors.js';
import { loadPrivateKeyFile, loadStatementFile, loadTrustFile } from './files.js';
import { signStatement, statementPayload } from './sign.js';
import type { Statement } from './statement.js';
import { verifyStatement, type Check, type StatementVerification } from './verify.js';
import { AGREEMENT_PREDICATE_TYPE } from './predicates/agreement.js';

const examples = fileURLToPath(new URL('../../examples/', import.meta.url));
const key = (name: string): NoteSigner => loadPrivateKeyFile(`${examples}keys/${name}.key`);
const acme = key('example-acme-vendor');
const telco = key('example-telco-operator');
const globex = key('example-other-vendor');
const audit = key('example-audit-auditor');
const trust = loadTrustFile(`${examples}statements/trust.yaml`);
const statementOf = (name: string): Statement =>
  loadStatementFile(`${examples}statements/${name}.yaml`).statement;
const now = new Date('2026-05-01T00:00:00Z');

function signedBy(statement: Statement, ...signers: NoteSigner[]): Envelope {
  const [first, ...rest] = signers;
  return rest.reduce((env, s) => addSignature(env, s), signStatement(statement, first!));
}

function failures(result: StatementVerification): string[] {
  return result.checks.filter((c: Check) => c.status === 'fail').map((c) => c.message);
}

describe('when every example statement is signed as its signing rule asks', () => {
  it.each([
    ['agreement', [acme, telco]],
    ['release', [acme]],
    ['access', [acme, telco]],
    ['deployment', [telco]],
    ['canary', [acme]],
  ] as const)('the %s verifies against the trust file', (name, signers) => {
    const result = verifyStatement(signedBy(statementOf(name), ...signers), trust, { now });
    expect(failures(result)).toEqual([]);
    expect(result.valid).toBe(true);
    expect(result.predicate).toBe(name);
  });

  it('reports an auditor countersignature as an extra signer, still valid', () => {
    const result = verifyStatement(signedBy(statementOf('release'), acme, audit), trust, { now });
    expect(result.valid).toBe(true);
    expect(
      result.checks.some((c) => c.message.includes('also signed by the auditor "audit"')),
    ).toBe(true);
  });
});

describe('when a statement is signed by a key the trust file does not hold', () => {
  it('rejects it, naming the unknown key', () => {
    const stranger = generateNoteKey('stranger');
    const result = verifyStatement(signedBy(statementOf('release'), stranger), trust, { now });
    expect(result.valid).toBe(false);
    const warning = result.checks.find((c) => c.id === 'known-key');
    expect(warning?.message).toBe(
      `signature 0: unknown key "${stranger.name}+${stranger.vkey.split('+')[1] ?? ''}": no party in the trust file has it`,
    );
    expect(failures(result)).toContain(
      'no signature verifies with a trusted key (1 signature(s) in the envelope)',
    );
  });
});

describe('when a release is signed by the operator instead of the vendor', () => {
  it('rejects it as the wrong role', () => {
    const result = verifyStatement(signedBy(statementOf('release'), telco), trust, { now });
    expect(result.valid).toBe(false);
    expect(failures(result)).toEqual([
      'wrong role: a release must be signed by its vendor "acme", but it is signed only by the operator "telco" (example-telco-operator+b2122dc8)',
    ]);
  });
});

describe("when one vendor signs another vendor's release", () => {
  it('rejects it: the signature does not count for acme', () => {
    const result = verifyStatement(signedBy(statementOf('release'), globex), trust, { now });
    expect(failures(result)[0]).toMatch(
      /must be signed by its vendor "acme", but it is signed only by the vendor "globex"/,
    );
  });
});

describe('when a statement names as vendor a party whose role is operator', () => {
  it('says which role the trust file gives it', () => {
    const statement = statementOf('release');
    const forged = {
      ...statement,
      predicate: { ...statement.predicate, vendor: 'telco' },
    } as Statement;
    const result = verifyStatement(signedBy(forged, telco), trust, { now });
    expect(failures(result)).toEqual([
      'wrong role: "telco" has the role operator in the trust file, but the release names it as its vendor',
    ]);
  });
});

describe('when an access grant carries only the vendor signature', () => {
  it('rejects it for the missing operator signature', () => {
    const result = verifyStatement(signedBy(statementOf('access'), acme), trust, { now });
    expect(result.valid).toBe(false);
    expect(failures(result)).toEqual([
      'access grant "GRANT-2026-0042" is missing its operator signature: it needs the signature of the operator "telco" as well as the vendor\'s',
    ]);
  });
});

describe('when an agreement is verified outside its validity period', () => {
  const envelope = signedBy(statementOf('agreement'), acme, telco);

  it('rejects it as expired after its last day', () => {
    const result = verifyStatement(envelope, trust, { now: new Date('2029-01-01T00:00:00Z') });
    expect(failures(result)).toEqual([
      'agreement "ACME-TELCO-2026-001" expired: valid until 2028-12-31 (now 2029-01-01T00:00:00.000Z)',
    ]);
  });

  it('still accepts it on its last day', () => {
    expect(verifyStatement(envelope, trust, { now: new Date('2028-12-31T23:59:59Z') }).valid).toBe(
      true,
    );
  });

  it('rejects it before it is in force', () => {
    const result = verifyStatement(envelope, trust, { now: new Date('2025-12-31T23:00:00Z') });
    expect(failures(result)[0]).toMatch(/is not yet in force: valid from 2026-01-01/);
  });
});

describe('when an agreement pins a key its party did not sign with', () => {
  it('rejects the signature with the pinned and the used key', () => {
    const statement = statementOf('agreement');
    if (statement.predicateType !== AGREEMENT_PREDICATE_TYPE) throw new Error('fixture');
    const pinned = {
      ...statement,
      predicate: {
        ...statement.predicate,
        parties: {
          ...statement.predicate.parties,
          vendor: { ...statement.predicate.parties.vendor, key: 'acme-old+00000000' },
        },
      },
    };
    const result = verifyStatement(signedBy(pinned, acme, telco), trust, { now });
    expect(failures(result)).toEqual([
      'the agreement pins key acme-old+00000000 for the vendor "acme", but it is signed with example-acme-vendor+ba737b20',
    ]);
  });
});

describe('when the payload is altered after signing', () => {
  it('fails the signature check naming the key', () => {
    const envelope = signedBy(statementOf('release'), acme);
    const altered = Buffer.from(envelope.payload.toString().replace('3.1.2', '3.1.3'));
    const result = verifyStatement({ ...envelope, payload: altered }, trust, { now });
    expect(failures(result)[0]).toBe(
      'signature 0 by example-acme-vendor+ba737b20 (vendor "acme") does not verify: the payload, its type or the signature was altered',
    );
  });
});

describe('when the signed payload is not a valid statement', () => {
  it('fails the schema check naming each field', () => {
    const statement = statementOf('release');
    const bad = {
      ...statement,
      predicate: { ...statement.predicate, backdoor: true, version: undefined },
    };
    const envelope = signEnvelope(
      'application/vnd.in-toto+json',
      statementPayload(bad as Statement),
      acme,
    );
    expect(failures(verifyStatement(envelope, trust, { now }))).toEqual([
      'statement: predicate.version: missing required field (expected string)',
      'statement: predicate.backdoor: unknown field',
    ]);
  });

  it('rejects a payload that repeats a field, which parsers may read differently', () => {
    const text = statementPayload(statementOf('release'))
      .toString()
      .replace('"vendor":"acme"', '"vendor":"acme","vendor":"globex"');
    const envelope = signEnvelope('application/vnd.in-toto+json', Buffer.from(text), acme);
    expect(failures(verifyStatement(envelope, trust, { now }))).toEqual([
      'statement: the payload repeats the field "vendor" in one object',
    ]);
  });

  it('rejects another payloadType', () => {
    const envelope = signEnvelope('text/plain', Buffer.from('hello'), acme);
    expect(failures(verifyStatement(envelope, trust, { now }))).toEqual([
      'payloadType is "text/plain", not application/vnd.in-toto+json',
    ]);
  });
});

describe('when verified against bare verifier keys instead of a trust file', () => {
  it('checks signatures and schema, and says the signing rules were skipped', () => {
    const result = verifyStatement(
      signedBy(statementOf('access'), acme),
      { keys: [acme] },
      { now },
    );
    expect(result.valid).toBe(true);
    expect(result.checks.find((c) => c.id === 'signer')?.status).toBe('skip');
  });
});

describe('when any single byte of a serialised envelope is changed', () => {
  const original = signedBy(statementOf('access'), acme, telco);
  const bytes = serializeEnvelope(original);

  test.prop([fc.nat(), fc.integer({ min: 1, max: 255 })])(
    'the envelope is rejected as malformed, fails verification, or still decodes to the same signed content',
    (at, flip) => {
      const altered = Buffer.from(bytes);
      const i = at % altered.length;
      altered[i] = altered[i]! ^ flip;
      let parsed: Envelope;
      try {
        parsed = parseEnvelope(altered);
      } catch (error) {
        expect(error).toBeInstanceOf(StatementError);
        return;
      }
      const result = verifyStatement(parsed, trust, { now });
      const same =
        parsed.payloadType === original.payloadType &&
        parsed.payload.equals(original.payload) &&
        parsed.signatures.every((s, k) => s.sig.equals(original.signatures[k]!.sig));
      // A "+" turned into "-" in a base64 field with no "/" is the same bytes in the URL-safe
      // alphabet: nothing signed changed. Anything else must not verify.
      expect(result.valid && !same).toBe(false);
    },
  );
});
