/**
 * What the HTTP API answers for each error code. One table per domain whose errors a request
 * handler can meet, each checked against its domain's closed union with `satisfies`, so a code
 * added to a union without a status here fails the type check. Only the server edge knows HTTP
 * statuses; the domains know nothing of it.
 *
 * The CLI's own codes, the configuration's and those of the domains only commands run (MUD files,
 * flows, firmware, SBOM, OSV, inventories, rule packs) have no status: no route
 * reaches them (`http-status.test.ts` checks this against the server's imports), and a code
 * without an entry is answered as INTERNAL (`error-reply.ts`).
 */
import type { BlobErrorCode } from '../blobs/errors.js';
import type { CheckErrorCode } from '../check/errors.js';
import type { InternalErrorCode, NospyError } from '../errors/nospy-error.js';
import type { LogErrorCode } from '../log/errors.js';
import type { StatementErrorCode } from '../statements/errors.js';
import type { StoreErrorCode } from '../store/errors.js';
import type { TlogErrorCode } from '../tlog/errors.js';
import type { TrafficErrorCode } from '../traffic/errors.js';
import type { ApiErrorCode } from './api/errors.js';

/** The statuses an error is answered with (RFC 9110 §15.5, §15.6; 429 RFC 6585 §4). */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 422 | 429 | 500 | 502 | 503;

const INTERNAL_STATUSES = { INTERNAL: 500 } as const satisfies Record<
  InternalErrorCode,
  ErrorStatus
>;

const TLOG_STATUSES = {
  TLOG_KEY_INVALID: 400,
  TLOG_NOTE_INVALID: 400,
  TLOG_SIGNATURE_INVALID: 403,
  TLOG_CHECKPOINT_INVALID: 400,
  TLOG_QUORUM_NOT_MET: 403,
  TLOG_PROOF_INVALID: 422,
  TLOG_PROOF_BUNDLE_INVALID: 400,
  TLOG_INDEX_OUT_OF_RANGE: 404,
  TLOG_TILE_PATH_INVALID: 400,
  TLOG_TILE_INVALID: 422,
  TLOG_ENTRY_TOO_LARGE: 413,
  TLOG_WITNESS_REQUEST_INVALID: 400,
  TLOG_WITNESS_REQUEST_TOO_LARGE: 413,
} as const satisfies Record<TlogErrorCode, ErrorStatus>;

const LOG_STATUSES = {
  LOG_ENTRY_TOO_LARGE: 413,
  LOG_OVERLOADED: 503,
  LOG_TOO_MANY_WRITES: 429,
  LOG_FORBIDDEN: 403,
  LOG_CLOSED: 503,
  LOG_UNAUTHORIZED: 401,
  LOG_NOT_FOUND: 404,
  LOG_STATE_INVALID: 500,
  LOG_WITNESS_FAILED: 503,
  LOG_WITNESS_PENDING: 503,
  LOG_KEY_EXISTS: 409,
  LOG_USAGE: 400,
  LOG_UNREACHABLE: 502,
  LOG_INCONSISTENT: 502,
  LOG_UNVERIFIED: 502,
  LOG_AUDITING: 503,
  LOG_READ_ONLY: 503,
  LOG_EVIDENCE_INVALID: 400,
} as const satisfies Record<LogErrorCode, ErrorStatus>;

const STORE_STATUSES = {
  STORE_IO: 500,
  // The disk is full: nothing was written; the same request may succeed once space is freed.
  STORE_FULL: 503,
  STORE_CONFLICT: 409,
  STORE_CORRUPT: 500,
  // The database server is down or being failed over: a retry may reach it.
  STORE_UNREACHABLE: 503,
  STORE_AUTH: 500,
  STORE_SCHEMA: 500,
  STORE_NOT_EMPTY: 409,
} as const satisfies Record<StoreErrorCode, ErrorStatus>;

const STATEMENT_STATUSES = {
  STATEMENT_ENVELOPE_INVALID: 400,
  STATEMENT_ENVELOPE_TOO_LARGE: 413,
  STATEMENT_AUTHORING_INVALID: 400,
  STATEMENT_TRUST_INVALID: 500,
  STATEMENT_UNREADABLE: 500,
  STATEMENT_ALREADY_SIGNED: 409,
  STATEMENT_REJECTED: 422,
  STATEMENT_SIGNATURE_UNTRUSTED: 422,
  STATEMENT_BUNDLE_INVALID: 400,
  STATEMENT_NOT_ACCEPTING: 503,
  STATEMENT_NOT_FOUND: 404,
  STATEMENT_SERVER_FAILED: 502,
  STATEMENT_PUBLISH_TIMEOUT: 502,
} as const satisfies Record<StatementErrorCode, ErrorStatus>;

const BLOB_STATUSES = {
  BLOB_DIGEST_INVALID: 400,
  BLOB_DIGEST_MISMATCH: 422,
  BLOB_TOO_LARGE: 413,
  BLOB_NOT_FOUND: 404,
  BLOB_IO: 500,
  BLOB_UNAUTHORIZED: 401,
  BLOB_SERVER_FAILED: 502,
} as const satisfies Record<BlobErrorCode, ErrorStatus>;

const API_STATUSES = {
  API_BAD_REQUEST: 400,
  API_NOT_FOUND: 404,
  // The report could not be computed; the log still serves.
  API_REPORT_FAILED: 503,
} as const satisfies Record<ApiErrorCode, ErrorStatus>;

// The read API computes its report with the check engine, and answers findings' evidence files.
const CHECK_STATUSES = {
  // What the server's own check configuration names is missing or unreachable: the report
  // cannot be computed now, the log still serves.
  CHECK_INPUT_MISSING: 503,
  CHECK_LOG_UNREACHABLE: 503,
  CHECK_LOG_UNVERIFIED: 503,
  // The server's own data does not read back: its fault, not the client's.
  CHECK_DATA_CORRUPT: 500,
  CHECK_EVIDENCE_INVALID: 500,
} as const satisfies Record<CheckErrorCode, ErrorStatus>;

// The read API's report takes traffic verdicts from the traffic store when configured so.
const TRAFFIC_STATUSES = {
  // No worker has written the configured store yet, or no adapter opens it: the report cannot
  // be computed now, the log still serves.
  TRAFFIC_STORE_MISSING: 503,
  TRAFFIC_STORE_UNSUPPORTED: 503,
} as const satisfies Record<TrafficErrorCode, ErrorStatus>;

/** Every code a request handler can meet. */
export type HttpFacingErrorCode =
  | InternalErrorCode
  | TlogErrorCode
  | LogErrorCode
  | StoreErrorCode
  | StatementErrorCode
  | BlobErrorCode
  | ApiErrorCode
  | CheckErrorCode
  | TrafficErrorCode;

/** The domains' tables composed; domain prefixes keep their codes apart. */
export const HTTP_STATUSES = {
  ...INTERNAL_STATUSES,
  ...TLOG_STATUSES,
  ...LOG_STATUSES,
  ...STORE_STATUSES,
  ...STATEMENT_STATUSES,
  ...BLOB_STATUSES,
  ...API_STATUSES,
  ...CHECK_STATUSES,
  ...TRAFFIC_STATUSES,
} as const satisfies Record<HttpFacingErrorCode, ErrorStatus>;

/** The status for an error, or undefined for a code no route should meet (a bug). */
export function httpStatusOf(error: NospyError): ErrorStatus | undefined {
  return Object.hasOwn(HTTP_STATUSES, error.code)
    ? HTTP_STATUSES[error.code as HttpFacingErrorCode]
    : undefined;
}
