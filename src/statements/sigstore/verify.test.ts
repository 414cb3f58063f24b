import { describe, expect, it } from 'vitest';
import { signCheckpoint } from '../../tlog/checkpoint.js';
import { leafHash } from '../../tlog/hash.js';
import { MemoryTree } from '../../tlog/memory-tree.js';
import { generateNoteKey, keyHandle, type NoteSigner } from '../../tlog/note-key.js';
import { inclusionProof } from '../../tlog/tree.js';
import { canonicalEnvelope } from '../canonical.js';
import { addSignature, serializeEnvelope, type Envelope } from '../dsse.js';
import { CANARY_PREDICATE_TYPE } from '../predicates/canary.js';
import { signStatement } from '../sign.js';
import type { Statement } from '../statement.js';
import { parseTrustFile, type Trust } from '../trust.js';
import { formatSigstoreBundle, parseSigstoreBundle, type SigstoreBundle } from './bundle.js';
import { sigstoreEntriesOf } from './statement-entries.js';
import { verifySigstoreBundle } from './verify.js';

const vendor = generateNoteKey('vendor.example/acme');
const auditor = generateNoteKey('auditor.example/audit');
const log = generateNoteKey('log.example/nospy');
const trust: Trust = parseTrustFile(
  [
    'parties:',
    `  - { name: acme, role: vendor, keys: ["${vendor.vkey}"] }`,
    `  - { name: audit, role: auditor, keys: ["${auditor.vkey}"] }`,
    `log: { key: "${log.vkey}" }`,
    '',
  ].join('\n'),
  'trust.yaml',
);
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
const now = new Date('2026-04-02T00:00:00Z');

/** A log of the canonical envelope and its Sigstore entries; the bundle of `signer`'s signature. */
function bundleOf(envelope: Envelope, signer: NoteSigner = vendor): SigstoreBundle {
  const canonical = canonicalEnvelope(envelope, trust);
  const which = canonical.envelope.signatures.findIndex((s) => s.keyid === keyHandle(signer));
  const leaves = [
    serializeEnvelope(canonical.envelope),
    ...sigstoreEntriesOf(canonical).map((s) => s.entry),
  ];
  const tree = new MemoryTree();
  for (const leaf of leaves) tree.append(leafHash(leaf));
  const checkpoint = signCheckpoint(
    { origin: log.name, size: tree.size, rootHash: tree.root(), extensions: [] },
    log,
  );
  const signature = canonical.envelope.signatures[which];
  if (signature === undefined) throw new Error(`no signature ${which}`);
  const index = 1 + which;
  return parseSigstoreBundle(
    formatSigstoreBundle({
      envelope: { ...canonical.envelope, signatures: [signature] },
      hint: signature.keyid,
      entry: leaves[index] as Buffer,
      proof: { index, proof: inclusionProof(index, tree.size, tree.read), checkpoint },
    }),
  );
}

const failed = (bundle: SigstoreBundle): string[] =>
  verifySigstoreBundle(bundle, trust, { now })
    .checks.filter((c) => c.status === 'fail')
    .map((c) => c.id);

describe('verifying a Sigstore bundle (nospy verify)', () => {
  it('passes every check for a statement with its one signature', () => {
    const result = verifySigstoreBundle(bundleOf(signStatement(canary, vendor)), trust, { now });
    expect(result.checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(result).toMatchObject({ valid: true, index: 1, predicate: 'canary' });
  });

  it("fails sigstore-entry when the hint names another key than the entry's", () => {
    const bundle = bundleOf(signStatement(canary, vendor));
    expect(failed({ ...bundle, hint: keyHandle(auditor) })).toEqual(['sigstore-entry']);
  });

  it('fails sigstore-entry and inclusion when the entry is of another signature', () => {
    const countersigned = addSignature(signStatement(canary, vendor), auditor);
    const vendors = bundleOf(countersigned, vendor);
    const auditors = bundleOf(countersigned, auditor);
    expect(failed({ ...vendors, entry: auditors.entry })).toEqual(['sigstore-entry', 'inclusion']);
  });

  it('fails inclusion, and only it, when the proof is for another leaf', () => {
    const bundle = bundleOf(signStatement(canary, vendor));
    expect(failed({ ...bundle, proof: { ...bundle.proof, index: 0 } })).toEqual(['inclusion']);
  });

  it('fails checkpoint-signature when another key signed the checkpoint', () => {
    const bundle = bundleOf(signStatement(canary, vendor));
    const forged = signCheckpoint(
      { origin: log.name, size: 2, rootHash: Buffer.alloc(32), extensions: [] },
      generateNoteKey(log.name),
    );
    expect(failed({ ...bundle, proof: { ...bundle.proof, checkpoint: forged } })).toEqual([
      'checkpoint-signature',
    ]);
  });
});

describe('reading a Sigstore bundle', () => {
  const text = formatSigstoreBundle(bundleOf(signStatement(canary, vendor)));
  interface Entry {
    logIndex: string;
    kindVersion: { kind: string };
  }
  interface Json {
    mediaType: string;
    verificationMaterial: { tlogEntries: [Entry, ...Entry[]] };
    dsseEnvelope: { signatures: { keyid: string; sig: string }[] };
  }
  const edit = (change: (json: Json) => unknown): string => {
    const json = JSON.parse(text) as Json;
    change(json);
    return JSON.stringify(json);
  };
  const cases: [string, string, string][] = [
    ['of another media type', edit((j) => (j.mediaType = 'application/json')), 'mediaType must be'],
    [
      'with two tlog entries',
      edit((j) => j.verificationMaterial.tlogEntries.push(j.verificationMaterial.tlogEntries[0])),
      'exactly one entry',
    ],
    [
      'of another entry kind',
      edit((j) => (j.verificationMaterial.tlogEntries[0].kindVersion.kind = 'hashedrekord')),
      'must be dsse 0.0.2',
    ],
    [
      'whose entry and proof disagree on the index',
      edit((j) => (j.verificationMaterial.tlogEntries[0].logIndex = '7')),
      "must be the inclusion proof's logIndex",
    ],
    [
      'with an envelope of two signatures',
      edit((j) =>
        j.dsseEnvelope.signatures.push({ keyid: 'x', sig: Buffer.alloc(64, 1).toString('base64') }),
      ),
      'exactly one signature',
    ],
    [
      'with a field twice',
      text.replace('"mediaType"', '"mediaType": "x", "mediaType"'),
      'appears twice',
    ],
  ];
  it.each(cases)('refuses one %s (STATEMENT_BUNDLE_INVALID)', (_what, bad, message) => {
    expect(() => parseSigstoreBundle(bad)).toThrow(
      expect.objectContaining({
        code: 'STATEMENT_BUNDLE_INVALID',
        message: expect.stringContaining(message) as unknown,
      }),
    );
  });
});
