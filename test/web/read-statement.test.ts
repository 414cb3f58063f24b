/**
 * The log browser's reading of an entry (web/src/verify/read-statement.ts) over envelopes that
 * nospy's own code signs: the predicate, subjects, the statement's own time and each signer named
 * as the user's trust file names the key; a Sigstore entry and raw bytes are said to be what they are.
 */
import { describe, expect, it } from 'vitest';
import { addSignature, serializeEnvelope, signEnvelope } from '../../src/statements/dsse.js';
import { generateNoteKey, keyHandle, type NoteSigner } from '../../src/tlog/note-key.js';
import { parseVerifierKey } from '../../web/src/verify/note-key.js';
import {
  describeOtherEntry,
  predicateName,
  readStatement,
} from '../../web/src/verify/read-statement.js';
import type { Trust } from '../../web/src/verify/trust.js';

const vendor = generateNoteKey('vendor-a');
const stranger = generateNoteKey('stranger');

const statement = {
  _type: 'https://in-toto.io/Statement/v1',
  subject: [{ name: 'fw-1.0.bin', digest: { sha256: 'a'.repeat(64) } }],
  predicateType: 'https://nospy.dev/predicates/canary/v1',
  predicate: { vendor: 'Vendor A', issuedAt: '2026-05-28', nextDue: '2026-06-27' },
};

async function trustOf(): Promise<Trust> {
  return {
    source: 'user',
    label: 'your trust file',
    log: undefined,
    witnesses: { quorum: 0, keys: [] },
    signers: [{ key: await parseVerifierKey(vendor.vkey), party: 'Vendor A', role: 'vendor' }],
  };
}

function entryOf(signers: readonly NoteSigner[]): Uint8Array {
  const payload = Buffer.from(JSON.stringify(statement));
  const [first = vendor, ...rest] = signers;
  let envelope = signEnvelope('application/vnd.in-toto+json', payload, first);
  for (const signer of rest) envelope = addSignature(envelope, signer);
  return new Uint8Array(serializeEnvelope(envelope));
}

describe('readStatement', () => {
  it('lays out the predicate, its subjects and the time the statement gives', async () => {
    const read = readStatement(entryOf([vendor]), await trustOf());
    expect(read).toMatchObject({
      payloadType: 'application/vnd.in-toto+json',
      predicateType: 'https://nospy.dev/predicates/canary/v1',
      subjects: [{ name: 'fw-1.0.bin', digest: `sha256:${'a'.repeat(64)}` }],
      moreSubjects: 0,
      time: { field: 'issuedAt', value: '2026-05-28' },
    });
  });

  it("names a signer as the user's trust names its key, and leaves an unknown key unnamed", async () => {
    const read = readStatement(entryOf([vendor, stranger]), await trustOf());
    expect(read?.signatures).toEqual([
      { keyid: keyHandle(vendor), party: 'Vendor A', role: 'vendor' },
      { keyid: keyHandle(stranger) },
    ]);
  });

  it('names no one without the user’s trust', () => {
    expect(readStatement(entryOf([vendor]), undefined)?.signatures).toEqual([
      { keyid: keyHandle(vendor) },
    ]);
  });

  it('is undefined for an entry that is not a DSSE envelope', () => {
    expect(readStatement(new TextEncoder().encode('raw bytes'), undefined)).toBeUndefined();
  });
});

describe('describeOtherEntry', () => {
  it('says a Rekor v2 entry is a Sigstore log entry of its kind', () => {
    const entry = new TextEncoder().encode(
      JSON.stringify({ apiVersion: '0.0.2', kind: 'dsse', spec: {} }),
    );
    expect(describeOtherEntry(entry)).toBe('a Sigstore log entry (kind dsse, version 0.0.2)');
  });

  it('counts the bytes of anything else', () => {
    expect(describeOtherEntry(new Uint8Array([0xff, 0x00]))).toBe('a raw entry of 2 bytes');
  });
});

describe('predicateName', () => {
  it('shortens a nospy predicate type and keeps any other whole', () => {
    expect(predicateName('https://nospy.dev/predicates/release/v1')).toBe('release');
    expect(predicateName('https://slsa.dev/provenance/v1')).toBe('https://slsa.dev/provenance/v1');
  });
});
