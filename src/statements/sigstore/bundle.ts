/**
 * Sigstore bundles (sigstore/protobuf-specs `Bundle`, media type
 * `application/vnd.dev.sigstore.bundle.v0.3+json`, in protobuf JSON: bytes as base64, 64-bit
 * integers as decimal strings) of one signature of a logged statement:
 *
 *   {"mediaType": "…v0.3+json",
 *    "verificationMaterial": {
 *      "publicKey": {"hint": <signer's key handle name+hash>},
 *      "tlogEntries": [{"logIndex", "logId": {"keyId": <4-byte note key ID>},
 *        "kindVersion": {"kind": "dsse", "version": "0.0.2"},
 *        "inclusionProof": {"logIndex", "rootHash", "treeSize", "hashes",
 *                           "checkpoint": {"envelope": <the C2SP checkpoint note>}},
 *        "canonicalizedBody": <the Rekor v2 dsse entry, base64>}]},
 *    "dsseEnvelope": {"payload", "payloadType", "signatures": [{"sig", "keyid"}]}}
 *
 * A Sigstore verifier (e.g. @sigstore/verify) given nospy's trusted root and the signer's key
 * checks it offline. Pure.
 */
import { parseCheckpoint } from '../../tlog/checkpoint.js';
import { parseNote } from '../../tlog/note.js';
import { formatKeyId } from '../../tlog/note-key.js';
import type { TlogProof } from '../../tlog/proof-bundle.js';
import { decodeStrictBase64, encodeBase64 } from '../base64.js';
import { parseEnvelope, type Envelope } from '../dsse.js';
import { StatementError } from '../errors.js';
import { firstDuplicateKey } from '../json-duplicates.js';
import { MAX_BUNDLE_BYTES } from '../bundle.js';
import { DSSE_API_VERSION, DSSE_KIND } from './rekor-dsse.js';

export const SIGSTORE_BUNDLE_MEDIA_TYPE = 'application/vnd.dev.sigstore.bundle.v0.3+json';
/** Hashes in an inclusion proof of a tree of at most 2^53 leaves. */
const MAX_PROOF_HASHES = 64;

/** One signature of a statement, its Sigstore log entry, and that entry's proof. */
export interface SigstoreBundle {
  /** The statement's envelope with exactly one signature: the one the entry holds. */
  readonly envelope: Envelope;
  /** The signer's key handle (`name+hash`): the key a verifier's key selector returns. */
  readonly hint: string;
  /** The Rekor v2 `dsse` entry's canonical bytes: the log leaf. */
  readonly entry: Buffer;
  /** The entry's inclusion proof and the (cosigned) checkpoint it leads to. */
  readonly proof: TlogProof;
}

/** Is this parsed JSON a Sigstore bundle (by its media type)? */
export function isSigstoreBundleDocument(json: unknown): boolean {
  const mediaType = (json as { mediaType?: unknown } | null)?.mediaType;
  return (
    typeof mediaType === 'string' && mediaType.startsWith('application/vnd.dev.sigstore.bundle')
  );
}

/** The bundle file's text (pretty JSON, one trailing newline). */
export function formatSigstoreBundle(bundle: SigstoreBundle): string {
  const { envelope, proof } = bundle;
  const note = parseNote(proof.checkpoint);
  const checkpoint = parseCheckpoint(note.text);
  // The log's own signature names the origin (c2sp.org/tlog-checkpoint); witnesses sign as others.
  const logSignature = note.signatures.find((s) => s.name === checkpoint.origin);
  if (logSignature === undefined) {
    throw invalid('checkpoint', `carries no signature by the log "${checkpoint.origin}"`);
  }
  const json = {
    mediaType: SIGSTORE_BUNDLE_MEDIA_TYPE,
    verificationMaterial: {
      publicKey: { hint: bundle.hint },
      tlogEntries: [
        {
          logIndex: String(proof.index),
          logId: { keyId: Buffer.from(formatKeyId(logSignature.keyId), 'hex').toString('base64') },
          kindVersion: { kind: DSSE_KIND, version: DSSE_API_VERSION },
          inclusionProof: {
            logIndex: String(proof.index),
            rootHash: encodeBase64(checkpoint.rootHash),
            treeSize: String(checkpoint.size),
            hashes: proof.proof.map((h) => encodeBase64(h)),
            checkpoint: { envelope: proof.checkpoint },
          },
          canonicalizedBody: encodeBase64(bundle.entry),
        },
      ],
    },
    dsseEnvelope: {
      payload: encodeBase64(envelope.payload),
      payloadType: envelope.payloadType,
      signatures: envelope.signatures.map((s) => ({ sig: encodeBase64(s.sig), keyid: s.keyid })),
    },
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}

/**
 * Reads a Sigstore bundle as nospy writes it: bounded, JSON, no field twice, the v0.3 media type,
 * a public-key hint, exactly one `dsse` 0.0.2 tlog entry with an inclusion proof and checkpoint,
 * and a DSSE envelope with one signature. Throws STATEMENT_BUNDLE_INVALID naming the field;
 * whether anything in it holds is `verifySigstoreBundle`'s business.
 */
export function parseSigstoreBundle(input: Uint8Array | string): SigstoreBundle {
  const size = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.length;
  if (size > MAX_BUNDLE_BYTES) {
    throw invalid('bundle', `is ${size} bytes, more than the ${MAX_BUNDLE_BYTES} allowed`);
  }
  const text = typeof input === 'string' ? input : Buffer.from(input).toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw invalid('bundle', `is not JSON: ${(error as Error).message}`);
  }
  const repeated = firstDuplicateKey(text);
  if (repeated !== undefined) throw invalid(repeated, 'appears twice in one object');
  const root = object(json, 'bundle');
  if (root.mediaType !== SIGSTORE_BUNDLE_MEDIA_TYPE) {
    throw invalid('mediaType', `must be "${SIGSTORE_BUNDLE_MEDIA_TYPE}"`);
  }
  const material = object(root.verificationMaterial, 'verificationMaterial');
  const hint = object(material.publicKey, 'verificationMaterial.publicKey').hint;
  if (typeof hint !== 'string' || hint.length === 0 || hint.length > 256) {
    throw invalid('verificationMaterial.publicKey.hint', 'must be the signer key handle');
  }
  const entries = material.tlogEntries;
  if (!Array.isArray(entries) || entries.length !== 1) {
    throw invalid('verificationMaterial.tlogEntries', 'must hold exactly one entry');
  }
  const entry = object(entries[0], 'verificationMaterial.tlogEntries[0]');
  const kind = object(entry.kindVersion, 'tlogEntries[0].kindVersion');
  if (kind.kind !== DSSE_KIND || kind.version !== DSSE_API_VERSION) {
    throw invalid('tlogEntries[0].kindVersion', `must be ${DSSE_KIND} ${DSSE_API_VERSION}`);
  }
  const inclusion = object(entry.inclusionProof, 'tlogEntries[0].inclusionProof');
  const logIndex = decimal(inclusion.logIndex, 'tlogEntries[0].inclusionProof.logIndex');
  if (entry.logIndex !== inclusion.logIndex) {
    throw invalid('tlogEntries[0].logIndex', "must be the inclusion proof's logIndex");
  }
  const hashes = inclusion.hashes ?? [];
  if (!Array.isArray(hashes) || hashes.length > MAX_PROOF_HASHES) {
    throw invalid(
      'tlogEntries[0].inclusionProof.hashes',
      `must be at most ${MAX_PROOF_HASHES} hashes`,
    );
  }
  const checkpoint = object(
    inclusion.checkpoint,
    'tlogEntries[0].inclusionProof.checkpoint',
  ).envelope;
  if (typeof checkpoint !== 'string') {
    throw invalid(
      'tlogEntries[0].inclusionProof.checkpoint.envelope',
      'must be the checkpoint note',
    );
  }
  const envelopeJson = object(root.dsseEnvelope, 'dsseEnvelope');
  let envelope: Envelope;
  try {
    envelope = parseEnvelope(JSON.stringify(envelopeJson));
  } catch (error) {
    if (error instanceof StatementError) {
      throw invalid(`dsseEnvelope.${error.where ?? ''}`, error.message);
    }
    throw error;
  }
  if (envelope.signatures.length !== 1) {
    throw invalid('dsseEnvelope.signatures', 'must hold exactly one signature (one per bundle)');
  }
  return {
    envelope,
    hint,
    entry: base64(entry.canonicalizedBody, 'tlogEntries[0].canonicalizedBody'),
    proof: {
      index: logIndex,
      proof: hashes.map((h, i) => {
        const hash = base64(h, `tlogEntries[0].inclusionProof.hashes[${i}]`);
        if (hash.length !== 32) {
          throw invalid(`tlogEntries[0].inclusionProof.hashes[${i}]`, 'is not a SHA-256 hash');
        }
        return hash;
      }),
      checkpoint,
    },
  };
}

function object(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid(where, 'must be a JSON object');
  }
  return value as Record<string, unknown>;
}

function decimal(value: unknown, where: string): number {
  const n = typeof value === 'string' && /^(0|[1-9][0-9]{0,15})$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n)) throw invalid(where, 'must be a decimal log index in a string');
  return n;
}

function base64(value: unknown, where: string): Buffer {
  if (typeof value !== 'string') throw invalid(where, 'must be base64 text');
  const decoded = decodeStrictBase64(value);
  if ('reason' in decoded) throw invalid(where, decoded.reason);
  return decoded.bytes;
}

function invalid(where: string, message: string): StatementError {
  return new StatementError('STATEMENT_BUNDLE_INVALID', `Sigstore bundle: ${where} ${message}`, {
    where,
  });
}
