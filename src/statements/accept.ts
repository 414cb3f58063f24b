/**
 * The write path's core (`POST /v1/statements`): an envelope in, the canonical bytes to append to
 * the log out, or a typed error saying what failed. Pure: the trust and the time are handed in.
 */
import { canonicalEnvelope, type CanonicalEnvelope } from './canonical.js';
import { parseEnvelope, serializeEnvelope, type Envelope } from './dsse.js';
import { StatementError } from './errors.js';
import { AGREEMENT_PREDICATE_TYPE } from './predicates/agreement.js';
import { DEPLOYMENT_PREDICATE_TYPE } from './predicates/deployment.js';
import { REBUILD_PREDICATE_TYPE } from './predicates/rebuild.js';
import { payloadDigest } from './payload-digest.js';
import type { PredicateName, Statement } from './statement.js';
import type { Trust } from './trust.js';
import { verifyStatement, type StatementVerification } from './verify.js';

export interface AcceptedStatement {
  /** The canonical envelope bytes: the log entry to append (≤ 65,535 bytes). */
  readonly entry: Buffer;
  /** The canonical envelope (canonical.ts): trusted signatures only, keyids derived, sorted. */
  readonly envelope: Envelope;
  readonly canonical: CanonicalEnvelope;
  /** Hex SHA-256 of the signed bytes (DSSE PAE): what de-duplication compares. */
  readonly payload: string;
  readonly predicate: PredicateName;
  readonly statement: Statement;
  readonly verification: StatementVerification;
  /** Fields `GET /v1/statements?type=&vendor=&subject=` filters on. */
  readonly index: StatementIndexFields;
}

export interface StatementIndexFields {
  readonly type: PredicateName;
  readonly vendor: string | undefined;
  /** `sha256:<hex>` of every subject. */
  readonly subjects: readonly string[];
}

/**
 * Parses, verifies and canonicalises a submitted envelope. Throws
 * - STATEMENT_ENVELOPE_TOO_LARGE (413) above 256 KiB read, or above 65,535 bytes canonical;
 * - STATEMENT_ENVELOPE_INVALID (400) for malformed JSON, base64, fields or signatures;
 * - STATEMENT_SIGNATURE_UNTRUSTED (422) when a signature verifies under no key of the trust
 *   file (the log keeps only signatures every relying party can check);
 * - STATEMENT_REJECTED (422) when any check fails.
 * The message lists each failed check.
 */
export function acceptStatement(
  body: Uint8Array | string,
  trust: Trust,
  options: { readonly now: Date },
): AcceptedStatement {
  // canonicalEnvelope verifies every signature to find its key, and verifyStatement checks the
  // same signatures over the same bytes: each Ed25519 check is made once and remembered.
  const once = verifyingOnce(trust);
  const canonical = canonicalEnvelope(parseEnvelope(body), once);
  const envelope = canonical.envelope;
  const verification = verifyStatement(envelope, once, options);
  const problems = verification.checks.filter((c) => c.status === 'fail' || c.status === 'warn');
  const { statement, predicate } = verification;
  if (
    !verification.valid ||
    problems.length > 0 ||
    statement === undefined ||
    predicate === undefined
  ) {
    throw new StatementError(
      'STATEMENT_REJECTED',
      `statement rejected:\n${problems.map((c) => `${c.id}: ${c.message}`).join('\n')}`,
      { where: problems[0]?.id ?? 'statement' },
    );
  }
  const entry = serializeEnvelope(envelope);
  return {
    entry,
    envelope,
    canonical,
    payload: payloadDigest(envelope),
    predicate,
    statement,
    verification,
    index: indexFieldsOf(statement, predicate),
  };
}

/**
 * `trust` with each party key remembering the signatures it verified in this call (by signature
 * and the exact message bytes): a repeated check answers without a second Ed25519 verify. Only a
 * success is remembered; the keys' names and bytes are the trust file's own.
 */
function verifyingOnce(trust: Trust): Trust {
  const verified = new Map<string, Buffer>();
  return {
    ...trust,
    parties: trust.parties.map((party) => ({
      ...party,
      keys: party.keys.map((key) => ({
        ...key,
        verify: (message: Uint8Array, signature: Uint8Array): boolean => {
          const id = `${key.vkey} ${Buffer.from(signature).toString('base64')}`;
          const seen = verified.get(id);
          if (seen?.equals(message) === true) return true;
          const ok = key.verify(message, signature);
          if (ok) verified.set(id, Buffer.from(message));
          return ok;
        },
      })),
    })),
  };
}

/**
 * The listing fields of a statement: its type, its vendor where it has one (a rebuild's is the
 * vendor of the release it concerns), its subjects.
 */
export function indexFieldsOf(statement: Statement, type: PredicateName): StatementIndexFields {
  const vendor =
    statement.predicateType === AGREEMENT_PREDICATE_TYPE
      ? statement.predicate.parties.vendor.name
      : statement.predicateType === DEPLOYMENT_PREDICATE_TYPE
        ? statement.predicate.device.vendor
        : statement.predicateType === REBUILD_PREDICATE_TYPE
          ? statement.predicate.release.vendor
          : 'vendor' in statement.predicate
            ? statement.predicate.vendor
            : undefined; // an inventory is the operator's, of no one vendor
  return { type, vendor, subjects: statement.subject.map((s) => `sha256:${s.digest.sha256}`) };
}
