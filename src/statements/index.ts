/**
 * Signed statements: the API other parts of nospy call. The server's `POST /v1/statements` uses
 * `acceptStatement` (verify against the trust file, get the canonical bytes to append); the CLI
 * and the checks use the rest.
 */
export { acceptStatement, indexFieldsOf } from './accept.js';
export type { AcceptedStatement, StatementIndexFields } from './accept.js';
export { authorStatement, deviceSubject } from './authoring.js';
export {
  addSignature,
  IN_TOTO_PAYLOAD_TYPE,
  MAX_CANONICAL_ENVELOPE_BYTES,
  MAX_ENVELOPE_BYTES,
  parseEnvelope,
  preAuthEncoding,
  serializeEnvelope,
  signEnvelope,
  verifyEnvelopeSignatures,
} from './dsse.js';
export type { Envelope, EnvelopeSignature, SignatureOutcome } from './dsse.js';
export { StatementError } from './errors.js';
export type { StatementErrorCode } from './errors.js';
export { loadPrivateKeyFile, loadStatementFile, loadTrustFile, readEnvelopeFile } from './files.js';
export { requiredSigners } from './signing-rules.js';
export { cosignStatement, signStatement, statementPayload } from './sign.js';
export {
  checkStatement,
  IN_TOTO_STATEMENT_TYPE,
  parseStatementPayload,
  PREDICATE_NAMES,
  PREDICATES,
  predicateNameOf,
} from './statement.js';
export type { PredicateName, Statement, Subject } from './statement.js';
export { parseTrustFile, partyOfKey, trustFromVerifierKeys } from './trust.js';
export type { PartyRole, Trust, TrustedParty } from './trust.js';
export { verifyStatement } from './verify.js';
export type { Check, CheckId, StatementVerification, TrustAnchor } from './verify.js';
export {
  EVIDENCE_FORMAT,
  formatBundle,
  judgeCheckpoint,
  MAX_BUNDLE_BYTES,
  parseBundle,
  verifyBundle,
} from './bundle.js';
export { MAX_ABSENCE_RELEASES, parseAbsence } from './absence-evidence.js';
export type { AbsenceEvidence } from './absence-evidence.js';
export { verifyAbsence } from './absence.js';
export type { AbsenceVerification } from './absence.js';
export type { AbsenceCheck, AbsenceCheckId } from './absence-checks.js';
export { checkAbsenceInLog } from './absence-log.js';
export type { BundleCheck, BundleCheckId, BundleVerification, EvidenceBundle } from './bundle.js';
export { StatementClient } from './client.js';
export type { ListedStatement, PublishedStatement, StatementFilter } from './client.js';
export {
  listLoggedStatements,
  loggedStatementProof,
  MAX_LISTED_STATEMENTS,
  StatementIndexer,
  statementIndexRowOf,
} from './log-index.js';
export type { LoggedStatement, LoggedStatementQuery } from './log-index.js';
export {
  formatSigstoreBundle,
  parseSigstoreBundle,
  SIGSTORE_BUNDLE_MEDIA_TYPE,
} from './sigstore/bundle.js';
export type { SigstoreBundle } from './sigstore/bundle.js';
export { verifySigstoreBundle } from './sigstore/verify.js';
export { formatSignerKeys, formatTrustedRoot } from './sigstore/trusted-root.js';
export { sigstoreEntriesOf } from './sigstore/statement-entries.js';
