/**
 * The write path's core (`POST /v1/statements`): an envelope in, the canonical bytes to append to
 * the log out, or a typed error saying what failed. Pure: the trust and the time are handed in.
 */
import { parseEnvelope, serializeEnvelope, type Envelope } from './dsse.js';
import { StatementError } from './errors.js';
import { AGREEMENT_PREDICATE_TYPE } from './predicates/agreement.js';
import { DEPLOYMENT_PREDICATE_TYPE } from './predicates/deployment.js';
import { REBUILD_PREDICATE_TYPE } from './predicates/rebuild.js';
import type { PredicateName, Statement } from './statement.js';
import type { Trust } from './trust.js';
import { verifyStatement, type StatementVerification } from './verify.js';

export interface AcceptedStatement {
  /** The canonical envelope bytes: the log entry to append (≤ 65,535 bytes). */
  readonly entry: Buffer;
  readonly envelope: Envelope;
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
 * - STATEMENT_REJECTED (422) when any check fails, or a signature is by a key the trust file
 *   does not hold (the log keeps only signatures every relying party can check).
 * The message lists each failed check.
 */
export function acceptStatement(
  body: Uint8Array | string,
  trust: Trust,
  options: { readonly now: Date },
): AcceptedStatement {
  const envelope = parseEnvelope(body);
  const verification = verifyStatement(envelope, trust, options);
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
    predicate,
    statement,
    verification,
    index: indexFieldsOf(statement, predicate),
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
