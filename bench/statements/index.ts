/**
 * Envelopes verified per second, beside the raw Ed25519 verify rate measured in the same run:
 *   raw        node:crypto verify of one PAE (the floor every DSSE verifier pays per signature)
 *   signatures verifyEnvelopeSignatures on a parsed envelope (PAE + key lookup + Ed25519)
 *   statement  verifyStatement (signatures, schema, signing rules, validity) on a parsed envelope
 *   accept     acceptStatement from the JSON bytes (parse, base64, verify, canonical bytes)
 * for a release (1 signature) and an access grant (2 signatures).
 */
import { verify } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { acceptStatement } from '../../src/statements/accept.js';
import {
  addSignature,
  preAuthEncoding,
  serializeEnvelope,
  verifyEnvelopeSignatures,
  type Envelope,
} from '../../src/statements/dsse.js';
import {
  loadPrivateKeyFile,
  loadStatementFile,
  loadTrustFile,
} from '../../src/statements/files.js';
import { signStatement } from '../../src/statements/sign.js';
import { partyKeys } from '../../src/statements/trust.js';
import { verifyStatement } from '../../src/statements/verify.js';
import { createPublicKey } from 'node:crypto';

const examples = fileURLToPath(new URL('../../examples/', import.meta.url));
const acme = loadPrivateKeyFile(`${examples}keys/example-acme-vendor.key`);
const telco = loadPrivateKeyFile(`${examples}keys/example-telco-operator.key`);
const trust = loadTrustFile(`${examples}statements/trust.yaml`);
const now = new Date('2026-05-01T00:00:00Z');
const SECONDS = 2;

function rate(label: string, fn: () => void): number {
  for (let i = 0; i < 200; i += 1) fn(); // warm-up
  let n = 0;
  const start = process.hrtime.bigint();
  const stop = start + BigInt(SECONDS * 1e9);
  let t = start;
  while (t < stop) {
    for (let i = 0; i < 100; i += 1) fn();
    n += 100;
    t = process.hrtime.bigint();
  }
  const perSecond = n / (Number(t - start) / 1e9);
  process.stdout.write(`${label.padEnd(44)} ${Math.round(perSecond).toString().padStart(8)} /s\n`);
  return perSecond;
}

function bench(name: string, envelope: Envelope): void {
  const bytes = serializeEnvelope(envelope);
  const pae = preAuthEncoding(envelope.payloadType, envelope.payload);
  const sig = envelope.signatures[0]!.sig;
  const key = createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: acme.publicKey.toString('base64url') },
    format: 'jwk',
  });
  process.stdout.write(
    `\n${name}: ${envelope.signatures.length} signature(s), envelope ${bytes.length} bytes, payload ${envelope.payload.length} bytes\n`,
  );
  const raw = rate('raw node:crypto Ed25519 verify (1 signature)', () => {
    if (!verify(null, pae, key, sig)) throw new Error('raw verify failed');
  });
  const keys = partyKeys(trust);
  rate('verifyEnvelopeSignatures', () => {
    verifyEnvelopeSignatures(envelope, keys);
  });
  const full = rate('verifyStatement (signatures + schema + rules)', () => {
    if (!verifyStatement(envelope, trust, { now }).valid) throw new Error('not valid');
  });
  const accept = rate('acceptStatement from bytes (parse → canonical)', () => {
    acceptStatement(bytes, trust, { now });
  });
  process.stdout.write(
    `verifyStatement = ${((full * envelope.signatures.length) / raw).toFixed(2)} × raw per signature; accept = ${(accept / full).toFixed(2)} × verifyStatement\n`,
  );
}

const release = loadStatementFile(`${examples}statements/release.yaml`).statement;
const access = loadStatementFile(`${examples}statements/access.yaml`).statement;
bench('release', signStatement(release, acme));
bench('access grant', addSignature(signStatement(access, acme), telco));
