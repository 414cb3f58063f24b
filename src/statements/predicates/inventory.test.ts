import { describe, expect, it } from 'vitest';
import { generateNoteKey } from '../../tlog/note-key.js';
import { signStatement } from '../sign.js';
import { checkStatement, type Statement } from '../statement.js';
import { parseTrustFile } from '../trust.js';
import { verifyStatement } from '../verify.js';
import { INVENTORY_PREDICATE_TYPE } from './inventory.js';

const operator = generateNoteKey('albion-mobile');
const vendor = generateNoteKey('acme-networks');
const trust = parseTrustFile(
  [
    'parties:',
    `  - { name: Albion Mobile, role: operator, keys: ["${operator.vkey}"] }`,
    `  - { name: Acme Networks, role: vendor, keys: ["${vendor.vkey}"] }`,
    '',
  ].join('\n'),
  'trust.yaml',
);
const inventory = {
  _type: 'https://in-toto.io/Statement/v1',
  subject: [{ name: 'inventory.yaml', digest: { sha256: 'a'.repeat(64) } }],
  predicateType: INVENTORY_PREDICATE_TYPE,
  predicate: { operator: 'Albion Mobile', asOf: '2026-06-01', format: 'yaml', inBlobStore: true },
} as Statement;
const now = new Date('2026-06-01T00:00:00Z');

describe('the inventory predicate', () => {
  it('is a valid statement naming the file by digest', () => {
    expect(checkStatement(inventory)).toMatchObject({ ok: true, name: 'inventory' });
  });

  it('refuses a format nospy cannot re-read on its own', () => {
    const csv = { ...inventory, predicate: { ...inventory.predicate, format: 'csv' } };
    expect(checkStatement(csv).ok).toBe(false);
  });

  it('verifies when signed by the operator it names', () => {
    expect(verifyStatement(signStatement(inventory, operator), trust, { now }).valid).toBe(true);
  });

  it('fails the signing rule when a vendor signs it', () => {
    const result = verifyStatement(signStatement(inventory, vendor), trust, { now });
    expect(result.valid).toBe(false);
    expect(result.checks.filter((c) => c.status === 'fail').map((c) => c.id)).toEqual(['signer']);
  });
});
