/**
 * What a Sigstore verifier is handed to check nospy's Sigstore bundles offline: a trusted root
 * (sigstore/protobuf-specs `TrustedRoot`, media type
 * `application/vnd.dev.sigstore.trustedroot.v0.2+json`) naming nospy's log, and the statement
 * signers' keys for the verifier's key selector (key hint → base64 DER SubjectPublicKeyInfo).
 * Both are derived from the trust file, which stays the one source of trust. Pure.
 */
import { keyHandle, formatKeyId } from '../../tlog/note-key.js';
import { StatementError } from '../errors.js';
import { partyKeys, type Trust } from '../trust.js';
import { ed25519Spki } from './rekor-dsse.js';

export const TRUSTED_ROOT_MEDIA_TYPE = 'application/vnd.dev.sigstore.trustedroot.v0.2+json';

export interface TrustedRootOptions {
  /**
   * The log's `baseUrl`; default the log's origin, a scheme-less URL (protobuf-specs: it "SHOULD
   * match the origin on the log checkpoint" and "MAY be a scheme-less URL"). Verifiers match the
   * checkpoint's signer name against it, so it must contain the origin.
   */
  readonly baseUrl?: string | undefined;
  /** Start of the log key's validity; default the Unix epoch (the trust file names none). */
  readonly validFrom?: Date | undefined;
  /** End of the log key's validity; default none. */
  readonly validUntil?: Date | undefined;
}

/** The trusted root's text (pretty JSON, one trailing newline) for the trust file's log. */
export function formatTrustedRoot(trust: Trust, options: TrustedRootOptions = {}): string {
  const log = trust.log;
  if (log === undefined) {
    throw new StatementError(
      'STATEMENT_TRUST_INVALID',
      'the trust file names no log key (log.key): a trusted root names the log',
      { where: 'log' },
    );
  }
  // c2sp.org/tlog-checkpoint: the log key's name is the checkpoint origin.
  const origin = log.origin ?? log.key.name;
  const baseUrl = options.baseUrl ?? origin;
  if (!baseUrl.includes(origin)) {
    throw new StatementError(
      'STATEMENT_TRUST_INVALID',
      `the base URL "${baseUrl}" does not contain the log's origin "${origin}": Sigstore verifiers would not match the checkpoint to it`,
      { where: 'baseUrl' },
    );
  }
  // The note key ID (SHA-256(name ‖ 0x0A ‖ 0x01 ‖ key)[:4]): the checkpoint's key hint. Rekor v2
  // logs set logId to the same value (protobuf-specs TransparencyLogInstance.log_id).
  const keyId = Buffer.from(formatKeyId(log.key.keyId), 'hex').toString('base64');
  const validFor = {
    start: (options.validFrom ?? new Date(0)).toISOString(),
    ...(options.validUntil === undefined ? {} : { end: options.validUntil.toISOString() }),
  };
  const root = {
    mediaType: TRUSTED_ROOT_MEDIA_TYPE,
    tlogs: [
      {
        baseUrl,
        hashAlgorithm: 'SHA2_256',
        publicKey: {
          rawBytes: ed25519Spki(log.key.publicKey).toString('base64'),
          keyDetails: 'PKIX_ED25519',
          validFor,
        },
        logId: { keyId },
        checkpointKeyId: { keyId },
      },
    ],
    certificateAuthorities: [],
    ctlogs: [],
    timestampAuthorities: [],
  };
  return `${JSON.stringify(root, null, 2)}\n`;
}

/**
 * The statement signers' keys, key handle (the bundles' `publicKey.hint`) → base64 DER SPKI, as
 * one JSON object (pretty, one trailing newline), sorted by handle.
 */
export function formatSignerKeys(trust: Trust): string {
  const keys = partyKeys(trust)
    .map((k) => [keyHandle(k), ed25519Spki(k.publicKey).toString('base64')] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `${JSON.stringify(Object.fromEntries(keys), null, 2)}\n`;
}
