/**
 * DSSE v1 signatures in the browser (secure-systems-lab/dsse protocol.md): each signature is
 * Ed25519 over PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body, checked
 * against keys the user trusts. A keyid is only a hint: it picks the candidate keys, never
 * vouches for one.
 */
import { concatBytes, decodeBase64Strict, utf8 } from './bytes.js';
import { verifyEd25519, type VerifierKey } from './note-key.js';

/** As the server's parser: more signatures than this is not a statement. */
const MAX_SIGNATURES = 16;

export interface Envelope {
  readonly payloadType: string;
  readonly payload: Uint8Array;
  readonly signatures: readonly { readonly keyid: string; readonly sig: Uint8Array }[];
}

/** The envelope a log entry holds, or undefined when the entry is not one (a raw entry). */
export function parseEnvelope(entry: Uint8Array): Envelope | undefined {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(entry));
  } catch {
    return undefined;
  }
  if (!isRecord(json)) return undefined;
  const { payloadType, payload, signatures } = json;
  if (typeof payloadType !== 'string' || typeof payload !== 'string') return undefined;
  if (!Array.isArray(signatures)) return undefined;
  const body = decodeBase64Strict(payload);
  if (body === undefined) throw new Error('the envelope payload is not base64');
  if (signatures.length === 0 || signatures.length > MAX_SIGNATURES) {
    throw new Error(`the envelope has ${String(signatures.length)} signatures (1 to 16 allowed)`);
  }
  return {
    payloadType,
    payload: body,
    signatures: signatures.map((s: unknown, i) => {
      const keyid = isRecord(s) && typeof s.keyid === 'string' ? s.keyid : '';
      const sig = isRecord(s) && typeof s.sig === 'string' ? decodeBase64Strict(s.sig) : undefined;
      if (sig === undefined)
        throw new Error(`signature ${String(i)} of the envelope is not base64`);
      return { keyid, sig };
    }),
  };
}

/** PAE (protocol.md); lengths are byte counts of the UTF-8 type and of the body. */
export function preAuthEncoding(payloadType: string, body: Uint8Array): Uint8Array {
  const type = utf8.encode(payloadType);
  return concatBytes(
    utf8.encode(`DSSEv1 ${String(type.length)} `),
    type,
    utf8.encode(` ${String(body.length)} `),
    body,
  );
}

export type EnvelopeSignatureOutcome =
  | {
      readonly index: number;
      readonly keyid: string;
      readonly status: 'verified';
      readonly key: VerifierKey;
    }
  | {
      readonly index: number;
      readonly keyid: string;
      readonly status: 'invalid';
      readonly key: VerifierKey;
    }
  | { readonly index: number; readonly keyid: string; readonly status: 'unknown-key' }
  | {
      readonly index: number;
      readonly keyid: string;
      readonly status: 'repeated-key';
      readonly key: VerifierKey;
    };

/**
 * Each signature of `envelope` against `keys`: tried with every key whose handle is its keyid
 * (two keys may share a key ID), or every key when the keyid is empty. A key that verifies a
 * second signature is `repeated-key`, so that counting verified signatures counts keys.
 */
export async function verifyEnvelopeSignatures(
  envelope: Envelope,
  keys: readonly VerifierKey[],
): Promise<EnvelopeSignatureOutcome[]> {
  const pae = preAuthEncoding(envelope.payloadType, envelope.payload);
  const counted = new Set<VerifierKey>();
  const outcomes: EnvelopeSignatureOutcome[] = [];
  for (const [index, { keyid, sig }] of envelope.signatures.entries()) {
    const candidates = keyid === '' ? keys : keys.filter((k) => k.handle === keyid);
    const first = candidates[0];
    if (first === undefined) {
      outcomes.push({ index, keyid, status: 'unknown-key' });
      continue;
    }
    let key: VerifierKey | undefined;
    for (const candidate of candidates) {
      if (await verifyEd25519(candidate, pae, sig)) {
        key = candidate;
        break;
      }
    }
    if (key === undefined) outcomes.push({ index, keyid, status: 'invalid', key: first });
    else if (counted.has(key)) outcomes.push({ index, keyid, status: 'repeated-key', key });
    else {
      counted.add(key);
      outcomes.push({ index, keyid, status: 'verified', key });
    }
  }
  return outcomes;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
