import { createPublicKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { formatKeyId, generateNoteKey, keyHandle } from '../../tlog/note-key.js';
import { parseTrustFile } from '../trust.js';
import { formatSignerKeys, formatTrustedRoot, TRUSTED_ROOT_MEDIA_TYPE } from './trusted-root.js';

const vendor = generateNoteKey('vendor.example/acme');
const log = generateNoteKey('log.example/nospy');
const trustText = (withLog: boolean) =>
  [
    'parties:',
    `  - { name: acme, role: vendor, keys: ["${vendor.vkey}"] }`,
    ...(withLog ? [`log: { key: "${log.vkey}" }`] : []),
    '',
  ].join('\n');
const trust = parseTrustFile(trustText(true), 'trust.yaml');

interface Root {
  mediaType: string;
  tlogs: {
    baseUrl: string;
    publicKey: { rawBytes: string; keyDetails: string; validFor: { start: string; end?: string } };
    logId: { keyId: string };
    checkpointKeyId: { keyId: string };
  }[];
}

describe('the trusted root of a trust file', () => {
  const root = JSON.parse(formatTrustedRoot(trust)) as Root;
  const [tlog] = root.tlogs;

  it('names the log key as a DER SPKI Ed25519 key', () => {
    expect(root.mediaType).toBe(TRUSTED_ROOT_MEDIA_TYPE);
    expect(tlog?.publicKey.keyDetails).toBe('PKIX_ED25519');
    const key = createPublicKey({
      key: Buffer.from(tlog?.publicKey.rawBytes ?? '', 'base64'),
      format: 'der',
      type: 'spki',
    });
    const raw = Buffer.from(key.export({ format: 'jwk' }).x ?? '', 'base64url');
    expect(raw.equals(log.publicKey)).toBe(true);
  });

  it("names the checkpoint's key hint (the 4-byte note key ID) as checkpointKeyId and logId", () => {
    const hint = Buffer.from(formatKeyId(log.keyId), 'hex').toString('base64');
    expect(tlog?.checkpointKeyId.keyId).toBe(hint);
    expect(tlog?.logId.keyId).toBe(hint);
  });

  it('uses the origin as the base URL unless given one that contains it', () => {
    expect(tlog?.baseUrl).toBe('log.example/nospy');
    const given = JSON.parse(
      formatTrustedRoot(trust, { baseUrl: 'https://log.example/nospy' }),
    ) as Root;
    expect(given.tlogs[0]?.baseUrl).toBe('https://log.example/nospy');
    expect(() => formatTrustedRoot(trust, { baseUrl: 'https://elsewhere.example' })).toThrow(
      expect.objectContaining({ code: 'STATEMENT_TRUST_INVALID' }),
    );
  });

  it('is valid from the epoch, or from and until the times given', () => {
    expect(tlog?.publicKey.validFor).toEqual({ start: '1970-01-01T00:00:00.000Z' });
    const from = new Date('2026-01-01T00:00:00Z');
    const until = new Date('2027-01-01T00:00:00Z');
    const bounded = JSON.parse(
      formatTrustedRoot(trust, { validFrom: from, validUntil: until }),
    ) as Root;
    expect(bounded.tlogs[0]?.publicKey.validFor).toEqual({
      start: from.toISOString(),
      end: until.toISOString(),
    });
  });

  it('is refused for a trust file without a log key (STATEMENT_TRUST_INVALID)', () => {
    expect(() => formatTrustedRoot(parseTrustFile(trustText(false), 'trust.yaml'))).toThrow(
      expect.objectContaining({ code: 'STATEMENT_TRUST_INVALID' }),
    );
  });
});

describe("the signers' keys", () => {
  it("map each party key's handle to its DER SPKI", () => {
    const keys = JSON.parse(formatSignerKeys(trust)) as Record<string, string>;
    expect(Object.keys(keys)).toEqual([keyHandle(vendor)]);
    const spki = Buffer.from(keys[keyHandle(vendor)] ?? '', 'base64');
    expect(spki.subarray(-32).equals(vendor.publicKey)).toBe(true);
    expect(createPublicKey({ key: spki, format: 'der', type: 'spki' }).asymmetricKeyType).toBe(
      'ed25519',
    );
  });
});
