import { describe, expect, it } from 'vitest';
import { isCanonicalCidr, instantOf } from './predicates/common.js';
import { checkStatement, formatIssue } from './statement.js';

const digest = { sha256: 'a'.repeat(64) };
const canary = {
  _type: 'https://in-toto.io/Statement/v1',
  subject: [{ name: 'canary:acme:2026-03-31', digest }],
  predicateType: 'https://nospy.dev/predicates/canary/v1',
  predicate: {
    vendor: 'acme',
    period: { from: '2026-01-01', until: '2026-03-31' },
    issuedAt: '2026-04-01',
    textDigest: digest,
    lawfulAccessRequests: { received: 'not-disclosed' },
    nextDue: '2026-06-30',
  },
};

function issues(value: unknown): string[] {
  const result = checkStatement(value);
  return result.ok ? [] : result.issues.map(formatIssue);
}

describe('the statement schema', () => {
  it('accepts a canary whose request count is not disclosed', () => {
    expect(issues(canary)).toEqual([]);
  });

  it('rejects an unknown predicateType, listing the known ones', () => {
    expect(issues({ ...canary, predicateType: 'https://example.com/x' })[0]).toMatch(
      /^predicateType: unknown or missing predicateType \(one of: https:\/\/nospy\.dev\/predicates\/agreement\/v1/,
    );
  });

  it('rejects an empty subject list and a digest that is not lowercase sha256 hex', () => {
    expect(issues({ ...canary, subject: [] })).toEqual([
      'subject: Too small: expected array to have >=1 items',
    ]);
    expect(
      issues({ ...canary, subject: [{ name: 'x', digest: { sha256: 'A'.repeat(64) } }] }),
    ).toEqual(['subject[0].digest.sha256: expected a sha256 digest: 64 lowercase hex digits']);
  });

  it('rejects a subject digest in another algorithm as an unknown field', () => {
    expect(
      issues({ ...canary, subject: [{ name: 'x', digest: { ...digest, sha512: 'b' } }] }),
    ).toEqual(['subject[0].digest.sha512: unknown field']);
  });

  it('rejects a canary due before it was issued, and one with neither text nor digest', () => {
    const { textDigest: _, ...rest } = canary.predicate;
    expect(issues({ ...canary, predicate: { ...rest, nextDue: '2026-03-01' } })).toEqual([
      'predicate.text: either text or textDigest is required',
      'predicate.nextDue: is not after issuedAt',
    ]);
  });

  it('rejects a count that is negative or a word other than not-disclosed', () => {
    const bad = {
      ...canary,
      predicate: { ...canary.predicate, lawfulAccessRequests: { received: -1 } },
    };
    expect(issues(bad)).toHaveLength(1);
    expect(issues(bad)[0]).toMatch(/^predicate\.lawfulAccessRequests\.received: /);
  });
});

describe('CIDR prefixes', () => {
  it.each([
    '192.0.2.0/24',
    '0.0.0.0/0',
    '10.1.2.3/32',
    '2001:db8::/32',
    '::/0',
    '2001:db8:0:1::/64',
    '::ffff:192.0.2.0/120',
  ])('accepts %s', (text) => {
    expect(isCanonicalCidr(text)).toBe(true);
  });
  it.each([
    '192.0.2.1/24',
    '192.0.2.0/33',
    '192.0.2.0',
    '2001:db8::1/32',
    'fe80::/129',
    'example.com/8',
    '10.0.0.0/08x',
  ])('rejects %s', (text) => {
    expect(isCanonicalCidr(text)).toBe(false);
  });
});

describe('dates and times in statements', () => {
  it('reads a bare until-date as the end of that UTC day', () => {
    expect(instantOf('2028-12-31', 'end')).toBe(Date.parse('2028-12-31T23:59:59.999Z'));
  });
  it.each([
    '2026-02-30',
    '2026-13-01',
    '2026-01-01T25:00:00Z',
    '2026-01-01T10:00:00',
    '31.12.2026',
  ])('rejects %s', (text) => {
    expect(instantOf(text, 'start')).toBeUndefined();
  });
});
