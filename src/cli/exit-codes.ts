/**
 * What the CLI exits with for each error code: 1 = a failed verification (the evidence said no),
 * 2 = usage, configuration, input or internal error. One table per domain, each checked against
 * its domain's closed union with `satisfies`, so a code added to a union without an exit code
 * here fails the type check. Only the CLI edge knows exit codes; the domains know nothing of it.
 *
 * The read API's codes (`API_*`) have no exit code: they are thrown only inside request handlers,
 * which answer them over HTTP (`src/server/http-status.ts`).
 */
import type { BlobErrorCode } from '../blobs/errors.js';
import type { CheckErrorCode } from '../check/errors.js';
import type { ConfigErrorCode } from '../config/errors.js';
import type { InternalErrorCode, NospyError } from '../errors/nospy-error.js';
import type { FirmwareErrorCode } from '../firmware/errors.js';
import type { FlowErrorCode } from '../flows/errors.js';
import type { InputErrorCode } from '../io/errors.js';
import type { InventoryErrorCode } from '../inventory/errors.js';
import type { LogErrorCode } from '../log/errors.js';
import type { MudErrorCode } from '../mud/errors.js';
import type { OsvErrorCode } from '../osv/errors.js';
import type { PolicyErrorCode } from '../policy/errors.js';
import type { RebuildErrorCode } from '../rebuild/errors.js';
import type { SbomErrorCode } from '../sbom/errors.js';
import type { StatementErrorCode } from '../statements/errors.js';
import type { StoreErrorCode } from '../store/errors.js';
import type { TlogErrorCode } from '../tlog/errors.js';
import type { TrafficErrorCode } from '../traffic/errors.js';
import type { CliErrorCode } from './errors.js';

/** 1: the evidence failed verification; 2: the command could not do its job. */
export type ExitCode = 1 | 2;

const INTERNAL_EXITS = { INTERNAL: 2 } as const satisfies Record<InternalErrorCode, ExitCode>;

const CLI_EXITS = {
  CLI_USAGE: 2,
  CLI_UNSUPPORTED_NODE: 2,
} as const satisfies Record<CliErrorCode, ExitCode>;

const CONFIG_EXITS = {
  CONFIG_NOT_FOUND: 2,
  CONFIG_UNREADABLE: 2,
  CONFIG_SYNTAX: 2,
  CONFIG_INVALID: 2,
} as const satisfies Record<ConfigErrorCode, ExitCode>;

const TLOG_EXITS = {
  TLOG_KEY_INVALID: 2,
  TLOG_NOTE_INVALID: 1,
  TLOG_SIGNATURE_INVALID: 1,
  TLOG_CHECKPOINT_INVALID: 1,
  TLOG_QUORUM_NOT_MET: 1,
  TLOG_PROOF_INVALID: 1,
  TLOG_PROOF_BUNDLE_INVALID: 1,
  TLOG_INDEX_OUT_OF_RANGE: 2,
  TLOG_TILE_PATH_INVALID: 2,
  TLOG_TILE_INVALID: 1,
  TLOG_ENTRY_TOO_LARGE: 2,
  TLOG_WITNESS_REQUEST_INVALID: 2,
  TLOG_WITNESS_REQUEST_TOO_LARGE: 2,
} as const satisfies Record<TlogErrorCode, ExitCode>;

const LOG_EXITS = {
  LOG_ENTRY_TOO_LARGE: 2,
  LOG_OVERLOADED: 2,
  LOG_TOO_MANY_WRITES: 2,
  LOG_FORBIDDEN: 2,
  LOG_CLOSED: 2,
  LOG_UNAUTHORIZED: 2,
  LOG_NOT_FOUND: 2,
  LOG_STATE_INVALID: 2,
  LOG_WITNESS_FAILED: 2,
  LOG_WITNESS_PENDING: 2,
  LOG_KEY_EXISTS: 2,
  LOG_USAGE: 2,
  LOG_UNREACHABLE: 2,
  // A log that contradicts what it published before failed verification.
  LOG_INCONSISTENT: 1,
  LOG_UNVERIFIED: 2,
  LOG_AUDITING: 2,
  LOG_READ_ONLY: 2,
  LOG_EVIDENCE_INVALID: 2,
} as const satisfies Record<LogErrorCode, ExitCode>;

const STORE_EXITS = {
  STORE_IO: 2,
  STORE_FULL: 2,
  STORE_CONFLICT: 2,
  STORE_CORRUPT: 2,
  STORE_UNREACHABLE: 2,
  STORE_AUTH: 2,
  STORE_SCHEMA: 2,
  STORE_NOT_EMPTY: 2,
} as const satisfies Record<StoreErrorCode, ExitCode>;

const STATEMENT_EXITS = {
  STATEMENT_ENVELOPE_INVALID: 2,
  STATEMENT_ENVELOPE_TOO_LARGE: 2,
  STATEMENT_AUTHORING_INVALID: 2,
  STATEMENT_TRUST_INVALID: 2,
  STATEMENT_UNREADABLE: 2,
  STATEMENT_ALREADY_SIGNED: 2,
  STATEMENT_REJECTED: 1,
  STATEMENT_SIGNATURE_UNTRUSTED: 1,
  STATEMENT_BUNDLE_INVALID: 2,
  STATEMENT_NOT_ACCEPTING: 2,
  STATEMENT_NOT_FOUND: 2,
  STATEMENT_SERVER_FAILED: 2,
  STATEMENT_PUBLISH_TIMEOUT: 2,
} as const satisfies Record<StatementErrorCode, ExitCode>;

const BLOB_EXITS = {
  BLOB_DIGEST_INVALID: 2,
  BLOB_DIGEST_MISMATCH: 2,
  BLOB_TOO_LARGE: 2,
  BLOB_NOT_FOUND: 2,
  BLOB_IO: 2,
  BLOB_UNAUTHORIZED: 2,
  BLOB_SERVER_FAILED: 2,
} as const satisfies Record<BlobErrorCode, ExitCode>;

const MUD_EXITS = {
  MUD_UNREADABLE: 2,
  MUD_SYNTAX: 2,
  MUD_INVALID: 2,
  MUD_LIMIT: 2,
  MUD_CONTEXT_INVALID: 2,
  MUD_DEVICES_INVALID: 2,
  MUD_GRANTS_INVALID: 2,
} as const satisfies Record<MudErrorCode, ExitCode>;

const CHECK_EXITS = {
  CHECK_INPUT_MISSING: 2,
  CHECK_LOG_UNREACHABLE: 2,
  // The log does not verify against the trust file.
  CHECK_LOG_UNVERIFIED: 2,
  CHECK_DATA_CORRUPT: 2,
  CHECK_EVIDENCE_INVALID: 2,
} as const satisfies Record<CheckErrorCode, ExitCode>;

const TRAFFIC_EXITS = {
  TRAFFIC_STORE_MISSING: 2,
  TRAFFIC_STORE_UNSUPPORTED: 2,
} as const satisfies Record<TrafficErrorCode, ExitCode>;

const FLOW_EXITS = {
  FLOW_FILE_UNREADABLE: 2,
  FLOW_FILE_INVALID: 2,
  FLOW_PCAP_INVALID: 2,
  FLOW_ZEEK_INVALID: 2,
  FLOW_COLLECTOR_BIND: 2,
  FLOW_COLLECTOR_OUTPUT: 2,
  FLOW_STORE_LOCKED: 2,
  FLOW_BATCH_INVALID: 2,
} as const satisfies Record<FlowErrorCode, ExitCode>;

const INVENTORY_EXITS = {
  INVENTORY_NOT_FOUND: 2,
  INVENTORY_UNREADABLE: 2,
  INVENTORY_SYNTAX: 2,
  INVENTORY_INVALID: 2,
} as const satisfies Record<InventoryErrorCode, ExitCode>;

const POLICY_EXITS = {
  POLICY_PACK_NOT_FOUND: 2,
  POLICY_PACK_UNREADABLE: 2,
  POLICY_PACK_SYNTAX: 2,
  POLICY_PACK_INVALID: 2,
  POLICY_DATE_INVALID: 2,
  POLICY_ASSUMPTION_INVALID: 2,
} as const satisfies Record<PolicyErrorCode, ExitCode>;

const FIRMWARE_EXITS = {
  FIRMWARE_IMAGE_UNREADABLE: 2,
  FIRMWARE_MUD_INVALID: 2,
  FIRMWARE_SBOM_UNUSABLE: 2,
  FIRMWARE_DIFF_INCOMPLETE: 2,
  FIRMWARE_SCAN_INCOMPLETE: 2,
} as const satisfies Record<FirmwareErrorCode, ExitCode>;

const SBOM_EXITS = {
  SBOM_UNREADABLE: 2,
  SBOM_SYNTAX: 2,
  SBOM_LIMIT: 2,
  SBOM_FORMAT_UNKNOWN: 2,
} as const satisfies Record<SbomErrorCode, ExitCode>;

const OSV_EXITS = {
  OSV_UNREADABLE: 2,
  OSV_ZIP_INVALID: 2,
  OSV_LIMIT: 2,
  OSV_QUERY_INVALID: 2,
} as const satisfies Record<OsvErrorCode, ExitCode>;

const REBUILD_EXITS = {
  REBUILD_RELEASE_INVALID: 2,
  REBUILD_INPUT_UNREADABLE: 2,
  REBUILD_RELEASED_IMAGE_UNAVAILABLE: 2,
  REBUILD_RELEASED_IMAGE_MISMATCH: 2,
  REBUILD_BLOB_UPLOAD_FAILED: 2,
} as const satisfies Record<RebuildErrorCode, ExitCode>;

const INPUT_EXITS = {
  INPUT_NOT_FOUND: 2,
  INPUT_IS_DIRECTORY: 2,
  INPUT_TOO_LARGE: 2,
  INPUT_UNREADABLE: 2,
} as const satisfies Record<InputErrorCode, ExitCode>;

/** Every code a command can meet. */
export type CliFacingErrorCode =
  | InternalErrorCode
  | CliErrorCode
  | ConfigErrorCode
  | TlogErrorCode
  | LogErrorCode
  | StoreErrorCode
  | StatementErrorCode
  | BlobErrorCode
  | MudErrorCode
  | CheckErrorCode
  | FlowErrorCode
  | TrafficErrorCode
  | InventoryErrorCode
  | PolicyErrorCode
  | FirmwareErrorCode
  | SbomErrorCode
  | OsvErrorCode
  | RebuildErrorCode
  | InputErrorCode;

/** The domains' tables composed; domain prefixes keep their codes apart. */
export const EXIT_CODES = {
  ...INTERNAL_EXITS,
  ...CLI_EXITS,
  ...CONFIG_EXITS,
  ...TLOG_EXITS,
  ...LOG_EXITS,
  ...STORE_EXITS,
  ...STATEMENT_EXITS,
  ...BLOB_EXITS,
  ...MUD_EXITS,
  ...CHECK_EXITS,
  ...FLOW_EXITS,
  ...TRAFFIC_EXITS,
  ...INVENTORY_EXITS,
  ...POLICY_EXITS,
  ...FIRMWARE_EXITS,
  ...SBOM_EXITS,
  ...OSV_EXITS,
  ...REBUILD_EXITS,
  ...INPUT_EXITS,
} as const satisfies Record<CliFacingErrorCode, ExitCode>;

/** The exit code for an error; a code without an entry is a bug, answered as INTERNAL is. */
export function exitCodeOf(error: NospyError): ExitCode {
  return Object.hasOwn(EXIT_CODES, error.code)
    ? EXIT_CODES[error.code as CliFacingErrorCode]
    : EXIT_CODES.INTERNAL;
}
