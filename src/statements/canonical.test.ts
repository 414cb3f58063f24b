import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generateNoteKey, keyHandle } from '../tlog/note-key.js';
import { canonicalEnvelope, placeSubmission } from './canonical.js';
import { addSignature, type Envelope } from './dsse.js';
import { loadPrivateKeyFile, loadStatementFile, loadTrustFile } from './files.js';
import { signStatement } from './sign.js';

const examples = fileURLToPath(new URL('../../examples/', import.meta.url));
const key = (name: string) => loadPrivateKeyFile(`${examples}keys/example-${name}.key`);
const trust = loadTrustFile(`${examples}statements/trust.yaml`);
const { statement } = loadStatementFile(`${examples}statements/release.yaml`);
const vendor = key('acme-vendor');
const auditor = key('audit-auditor');
const regulator = key('bnetza-regulator');
const signed = signStatement(statement, vendor);

const canonical = (envelope: Envelope) => canonicalEnvelope(envelope, trust);

describe('the canonical form of a signed statement', () => {
  it('is the same for every keyid hint and signature order', () => {
    const both = addSignature(signed, auditor);
    const variants = [
      both,
      { ...both, signatures: [...both.signatures].reverse() },
      { ...both, signatures: both.signatures.map((s, i) => ({ ...s, keyid: `hint ${i}` })) },
      { ...both, signatures: both.signatures.map((s) => ({ ...s, keyid: '' })) },
    ];
    const forms = variants.map((v) => canonical(v).envelope);
    for (const form of forms) expect(form).toEqual(forms[0]);
    expect(forms[0]?.signatures.map((s) => s.keyid)).toEqual(
      [keyHandle(vendor), keyHandle(auditor)].sort(),
    );
  });

  it('refuses a signature no trusted key verifies, and drops it when reading the log', () => {
    const stranger = addSignature(signed, generateNoteKey('stranger'));
    expect(() => canonical(stranger)).toThrow(/signature 1 .* verifies under no key/);
    expect(canonicalEnvelope(stranger, trust, { untrusted: 'drop' }).signers).toHaveLength(1);
  });
});

describe('placing a submission among the entries of its payload', () => {
  const first = { index: 3, canonical: canonical(signed) };
  const audited = canonical(addSignature(signed, auditor));

  it('answers a submission nothing new signed with the newest entry that holds its signers', () => {
    const second = { index: 9, canonical: audited };
    expect(placeSubmission(canonical(signed), [first, second])).toEqual({
      kind: 'logged',
      index: 9,
    });
    expect(placeSubmission(audited, [first, second])).toEqual({ kind: 'logged', index: 9 });
  });

  it('appends a submission that adds a signer, joined with every signature logged', () => {
    const second = { index: 9, canonical: audited };
    const placed = placeSubmission(canonical(addSignature(signed, regulator)), [first, second]);
    expect(placed).toMatchObject({ kind: 'append', extends: 9 });
    if (placed.kind !== 'append') return;
    expect([...placed.canonical.signers].sort()).toEqual(
      [vendor.vkey, auditor.vkey, regulator.vkey].sort(),
    );
    expect(placed.canonical).toEqual(
      canonical(addSignature(addSignature(signed, auditor), regulator)),
    );
  });

  it('appends the first submission of a payload as it is', () => {
    expect(placeSubmission(audited, [])).toEqual({ kind: 'append', canonical: audited });
  });
});
