import { describe, expect, it } from 'vitest';
import { signCheckpoint } from '../tlog/checkpoint.js';
import { leafHash } from '../tlog/hash.js';
import { generateNoteKey } from '../tlog/note-key.js';
import { formatTlogProof } from '../tlog/proof-bundle.js';
import { serializeEnvelope } from './dsse.js';
import { formatBundle, parseBundle, verifyBundle } from './bundle.js';
import { signStatement } from './sign.js';
import { parseTrustFile } from './trust.js';
import type { Statement } from './statement.js';
import { CANARY_PREDICATE_TYPE } from './predicates/canary.js';

const vendor = generateNoteKey('vendor.example/acme');
const canary: Statement = {
  _type: 'https://in-toto.io/Statement/v1',
  subject: [{ name: 'canary', digest: { sha256: 'a'.repeat(64) } }],
  predicateType: CANARY_PREDICATE_TYPE,
  predicate: {
    vendor: 'acme',
    period: { from: '2026-01-01', until: '2026-03-31' },
    issuedAt: '2026-04-01',
    text: 'No lawful access requests were received.',
    lawfulAccessRequests: { received: 0 },
    nextDue: '2026-07-01',
  },
};
const envelope = signStatement(canary, vendor);

describe('reading an evidence bundle', () => {
  it('reads back what formatBundle wrote', () => {
    const bundle = parseBundle(formatBundle({ envelope, proof: 'p' }));
    expect(bundle.proof).toBe('p');
    expect(bundle.envelope.payload.equals(envelope.payload)).toBe(true);
  });

  const cases: [string, string, string][] = [
    ['another format', '{"format":"x","envelope":{},"proof":""}', 'format must be'],
    ['an unknown field', '{"format":"nospy-evidence/v1","extra":1}', 'extra is not a bundle field'],
    [
      'a field given twice',
      '{"format":"nospy-evidence/v1","proof":"a","proof":"b","envelope":{}}',
      'appears twice',
    ],
    ['text that is not JSON', '{', 'is not JSON'],
    [
      'a type other than a statement',
      '{"format":"nospy-evidence/v1","type":"absence","envelope":{},"proof":""}',
      'type must be "statement"',
    ],
    [
      'an index that is not a log index',
      '{"format":"nospy-evidence/v1","index":-1,"envelope":{},"proof":""}',
      'index must be a log index',
    ],
  ];
  it.each(cases)('refuses %s with STATEMENT_BUNDLE_INVALID', (_what, text, message) => {
    expect(() => parseBundle(text)).toThrow(
      expect.objectContaining({
        code: 'STATEMENT_BUNDLE_INVALID',
        message: expect.stringContaining(message) as unknown,
      }),
    );
  });
});

describe("a finding's statement evidence, read as a bundle", () => {
  it('keeps its index, to be checked against the proof', () => {
    const text = JSON.stringify({
      type: 'statement',
      ...(JSON.parse(formatBundle({ envelope, proof: 'p' })) as object),
      index: 4,
    });
    expect(parseBundle(text).index).toBe(4);
  });

  it('fails the index check, and only it, when the index is not the proof leaf', () => {
    const log = generateNoteKey('log.example');
    const trust = parseTrustFile(
      `parties:\n  - name: acme\n    role: vendor\n    keys: [${vendor.vkey}]\nlog: { key: "${log.vkey}" }\n`,
      'trust.yaml',
    );
    // A one-leaf log holding the envelope: no proof hashes, the root is the leaf's hash.
    const rootHash = leafHash(serializeEnvelope(envelope));
    const note = signCheckpoint({ origin: 'log.example', size: 1, rootHash, extensions: [] }, log);
    const proof = formatTlogProof({ index: 0, proof: [], checkpoint: note });
    const right = verifyBundle({ envelope, proof, index: 0 }, trust, { now: new Date() });
    expect(right.valid).toBe(true);
    const wrong = verifyBundle({ envelope, proof, index: 1 }, trust, { now: new Date() });
    expect(wrong.checks.filter((c) => c.status === 'fail').map((c) => c.id)).toEqual(['index']);
  });
});

describe('verifying an evidence bundle', () => {
  it('when the proof does not parse, fails proof-format and still runs the statement checks', () => {
    const trust = parseTrustFile(
      `parties:\n  - name: acme\n    role: vendor\n    keys: [${vendor.vkey}]\n`,
      'trust.yaml',
    );
    const result = verifyBundle({ envelope, proof: 'not a proof' }, trust, { now: new Date() });
    expect(result.valid).toBe(false);
    const failed = result.checks.filter((c) => c.status === 'fail').map((c) => c.id);
    expect(failed).toEqual(['proof-format']);
    expect(result.checks.find((c) => c.id === 'signer')?.status).toBe('pass');
  });
});
