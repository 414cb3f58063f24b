/**
 * The one table of error codes. Each domain declares its closed set of codes beside its error
 * class; this table maps every code to what the CLI exits with and what the HTTP API answers.
 * Exit codes: 1 = findings or a failed verification, 2 = usage, configuration or internal error.
 */
import type { CliErrorCode } from '../cli/errors.js';
import type { ConfigErrorCode } from '../config/errors.js';
import type { MudErrorCode } from '../mud/errors.js';
import type { InventoryErrorCode } from '../inventory/errors.js';
import type { PolicyErrorCode } from '../policy/errors.js';
import type { FirmwareErrorCode } from '../firmware/errors.js';
import type { OsvErrorCode } from '../osv/errors.js';
import type { SbomErrorCode } from '../sbom/errors.js';
import type { TlogErrorCode } from '../tlog/errors.js';
import type { LogErrorCode } from '../log/errors.js';
import type { StoreErrorCode } from '../store/errors.js';

import type { StatementErrorCode } from '../statements/errors.js';
import type { BlobErrorCode } from '../blobs/errors.js';

import type { FlowErrorCode } from '../flows/errors.js';
import type { ApiErrorCode } from '../server/api/errors.js';
import type { CheckErrorCode } from '../check/errors.js';

export type ErrorCode =
  | CliErrorCode
  | ConfigErrorCode
  | MudErrorCode
  | InventoryErrorCode
  | PolicyErrorCode
  | FirmwareErrorCode
  | OsvErrorCode
  | SbomErrorCode
  | TlogErrorCode
  | LogErrorCode
  | StoreErrorCode
  | StatementErrorCode
  | BlobErrorCode
  | FlowErrorCode
  | ApiErrorCode
  | CheckErrorCode
  | 'INTERNAL';

export interface ErrorOutcome {
  /** Process exit code at the CLI edge. */
  readonly exit: 1 | 2;
  /** HTTP status when the error reaches a request handler. */
  readonly http: number;
}

export const ERROR_CATALOGUE = {
  INTERNAL: { exit: 2, http: 500 },
  CLI_USAGE: { exit: 2, http: 400 },
  CLI_UNSUPPORTED_NODE: { exit: 2, http: 500 },
  CONFIG_NOT_FOUND: { exit: 2, http: 500 },
  CONFIG_UNREADABLE: { exit: 2, http: 500 },
  CONFIG_SYNTAX: { exit: 2, http: 500 },
  CONFIG_INVALID: { exit: 2, http: 500 },
  TLOG_KEY_INVALID: { exit: 2, http: 400 },
  TLOG_NOTE_INVALID: { exit: 1, http: 400 },
  TLOG_SIGNATURE_INVALID: { exit: 1, http: 403 },
  TLOG_CHECKPOINT_INVALID: { exit: 1, http: 400 },
  TLOG_QUORUM_NOT_MET: { exit: 1, http: 403 },
  TLOG_PROOF_INVALID: { exit: 1, http: 422 },
  TLOG_PROOF_BUNDLE_INVALID: { exit: 1, http: 400 },
  TLOG_INDEX_OUT_OF_RANGE: { exit: 2, http: 404 },
  TLOG_TILE_PATH_INVALID: { exit: 2, http: 400 },
  TLOG_TILE_INVALID: { exit: 1, http: 422 },
  TLOG_ENTRY_TOO_LARGE: { exit: 2, http: 413 },
  TLOG_WITNESS_REQUEST_INVALID: { exit: 2, http: 400 },
  LOG_ENTRY_TOO_LARGE: { exit: 2, http: 413 },
  LOG_OVERLOADED: { exit: 2, http: 503 },
  LOG_CLOSED: { exit: 2, http: 503 },
  LOG_UNAUTHORIZED: { exit: 2, http: 401 },
  LOG_NOT_FOUND: { exit: 2, http: 404 },
  API_BAD_REQUEST: { exit: 2, http: 400 },
  API_NOT_FOUND: { exit: 2, http: 404 },
  API_REPORT_FAILED: { exit: 2, http: 503 },
  LOG_STATE_INVALID: { exit: 2, http: 500 },
  LOG_WITNESS_FAILED: { exit: 2, http: 503 },
  LOG_KEY_EXISTS: { exit: 2, http: 409 },
  LOG_USAGE: { exit: 2, http: 400 },
  LOG_UNREACHABLE: { exit: 2, http: 502 },
  LOG_INCONSISTENT: { exit: 1, http: 502 },
  LOG_UNVERIFIED: { exit: 2, http: 502 },
  LOG_AUDITING: { exit: 2, http: 503 },
  LOG_READ_ONLY: { exit: 2, http: 503 },
  LOG_EVIDENCE_INVALID: { exit: 2, http: 400 },
  STORE_IO: { exit: 2, http: 500 },
  STORE_CONFLICT: { exit: 2, http: 409 },
  STORE_CORRUPT: { exit: 2, http: 500 },
  STATEMENT_ENVELOPE_INVALID: { exit: 2, http: 400 },
  STATEMENT_ENVELOPE_TOO_LARGE: { exit: 2, http: 413 },
  STATEMENT_AUTHORING_INVALID: { exit: 2, http: 400 },
  STATEMENT_TRUST_INVALID: { exit: 2, http: 500 },
  STATEMENT_UNREADABLE: { exit: 2, http: 500 },
  STATEMENT_ALREADY_SIGNED: { exit: 2, http: 409 },
  STATEMENT_REJECTED: { exit: 1, http: 422 },
  STATEMENT_BUNDLE_INVALID: { exit: 2, http: 400 },
  STATEMENT_NOT_ACCEPTING: { exit: 2, http: 503 },
  STATEMENT_NOT_FOUND: { exit: 2, http: 404 },
  STATEMENT_SERVER_FAILED: { exit: 2, http: 502 },
  BLOB_DIGEST_INVALID: { exit: 2, http: 400 },
  BLOB_DIGEST_MISMATCH: { exit: 2, http: 422 },
  BLOB_TOO_LARGE: { exit: 2, http: 413 },
  BLOB_NOT_FOUND: { exit: 2, http: 404 },
  BLOB_IO: { exit: 2, http: 500 },
  BLOB_UNAUTHORIZED: { exit: 2, http: 401 },
  MUD_UNREADABLE: { exit: 2, http: 500 },
  MUD_SYNTAX: { exit: 2, http: 400 },
  MUD_INVALID: { exit: 2, http: 400 },
  MUD_LIMIT: { exit: 2, http: 413 },
  MUD_CONTEXT_INVALID: { exit: 2, http: 400 },
  MUD_DEVICES_INVALID: { exit: 2, http: 400 },
  MUD_GRANTS_INVALID: { exit: 2, http: 400 },
  CHECK_INPUT_MISSING: { exit: 2, http: 400 },
  CHECK_LOG_UNREACHABLE: { exit: 2, http: 502 },
  CHECK_LOG_UNVERIFIED: { exit: 2, http: 502 },
  CHECK_DATA_CORRUPT: { exit: 2, http: 500 },
  FLOW_FILE_UNREADABLE: { exit: 2, http: 400 },
  FLOW_FILE_INVALID: { exit: 2, http: 400 },
  FLOW_PCAP_INVALID: { exit: 2, http: 400 },
  FLOW_ZEEK_INVALID: { exit: 2, http: 400 },
  FLOW_COLLECTOR_BIND: { exit: 2, http: 500 },
  FLOW_COLLECTOR_OUTPUT: { exit: 2, http: 500 },
  FLOW_STORE_LOCKED: { exit: 2, http: 409 },
  INVENTORY_NOT_FOUND: { exit: 2, http: 404 },
  INVENTORY_UNREADABLE: { exit: 2, http: 400 },
  INVENTORY_SYNTAX: { exit: 2, http: 400 },
  INVENTORY_INVALID: { exit: 2, http: 422 },
  POLICY_PACK_NOT_FOUND: { exit: 2, http: 404 },
  POLICY_PACK_UNREADABLE: { exit: 2, http: 400 },
  POLICY_PACK_SYNTAX: { exit: 2, http: 400 },
  POLICY_PACK_INVALID: { exit: 2, http: 422 },
  POLICY_DATE_INVALID: { exit: 2, http: 400 },
  FIRMWARE_IMAGE_UNREADABLE: { exit: 2, http: 400 },
  FIRMWARE_MUD_INVALID: { exit: 2, http: 400 },
  FIRMWARE_SBOM_UNUSABLE: { exit: 2, http: 400 },
  SBOM_UNREADABLE: { exit: 2, http: 400 },
  SBOM_SYNTAX: { exit: 2, http: 400 },
  SBOM_LIMIT: { exit: 2, http: 413 },
  SBOM_FORMAT_UNKNOWN: { exit: 2, http: 400 },
  OSV_UNREADABLE: { exit: 2, http: 500 },
  OSV_ZIP_INVALID: { exit: 2, http: 400 },
  OSV_LIMIT: { exit: 2, http: 413 },
  OSV_QUERY_INVALID: { exit: 2, http: 400 },
} as const satisfies Record<ErrorCode, ErrorOutcome>;

export function outcomeOf(code: ErrorCode): ErrorOutcome {
  return ERROR_CATALOGUE[code];
}
