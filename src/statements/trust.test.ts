import { describe, expect, it } from 'vitest';
import { generateNoteKey } from '../tlog/note-key.js';
import { StatementError } from './errors.js';
import { parseTrustFile } from './trust.js';

const vendor = generateNoteKey('v');
const operator = generateNoteKey('o');
const witness = generateNoteKey('w', 0x04);

const good = `parties:
  - name: acme
    role: vendor
    keys: [${vendor.vkey}]
  - name: telco
    role: operator
    keys: [${operator.vkey}]
witnesses:
  quorum: 1
  keys:
    - key: ${witness.vkey}
`;

function messageOf(text: string): string {
  try {
    parseTrustFile(text, 'trust.yaml');
  } catch (error) {
    if (error instanceof StatementError && error.code === 'STATEMENT_TRUST_INVALID')
      return error.message;
    throw error;
  }
  throw new Error('expected STATEMENT_TRUST_INVALID');
}

describe('the trust file', () => {
  it('parses parties with their roles and keys, and the witnesses', () => {
    const trust = parseTrustFile(good, 'trust.yaml');
    expect(trust.parties.map((p) => [p.name, p.role, p.keys[0]?.vkey])).toEqual([
      ['acme', 'vendor', vendor.vkey],
      ['telco', 'operator', operator.vkey],
    ]);
    expect(trust.witnesses.quorum).toBe(1);
    expect(trust.log).toBeUndefined();
  });

  it('names file:line:column of a key that does not parse', () => {
    expect(messageOf(good.replace(operator.vkey, 'telco+1234'))).toMatch(
      /^trust\.yaml:7:12: parties\[1\]\.keys\[0\]: expected a note verifier key/,
    );
  });

  it('rejects an unknown role, pointing at it', () => {
    expect(messageOf(good.replace('role: operator', 'role: spy'))).toMatch(
      /^trust\.yaml:6:5: parties\[1\]\.role: /,
    );
  });

  it('rejects one key listed for two parties', () => {
    expect(messageOf(good.replace(operator.vkey, vendor.vkey))).toBe(
      'trust.yaml:7:12: parties[1].keys[0]: is already a key of party "acme"',
    );
  });

  it('rejects a quorum larger than the witness list', () => {
    expect(messageOf(good.replace('quorum: 1', 'quorum: 2'))).toBe(
      'trust.yaml:9:3: witnesses.quorum: is 2 but only 1 witness keys are listed',
    );
  });

  it('rejects an unknown field', () => {
    expect(messageOf(`${good}backdoor: yes\n`)).toBe('trust.yaml:12:1: backdoor: unknown field');
  });

  describe('when a witness is listed with its Ed25519 (0x01) key instead of its cosignature key', () => {
    const ed25519 = generateNoteKey('w');
    it('rejects it at load, naming the command that prints the right key', () => {
      expect(messageOf(good.replace(witness.vkey, ed25519.vkey))).toBe(
        'trust.yaml:11:7: witnesses.keys[0].key: is an Ed25519 (type 0x01) key, but a witness cosigns with its cosignature/v1 (type 0x04) key: "nospy key show <witness key file> --as witness" prints it (as does "nospy witness serve" at start)',
      );
    });
  });

  it('rejects a log key of the cosignature type', () => {
    const text = `${good}log:\n  key: ${witness.vkey}\n`;
    expect(messageOf(text)).toMatch(
      /^trust\.yaml:13:3: log\.key: is a cosignature\/v1 \(type 0x04\) key/,
    );
  });
});
