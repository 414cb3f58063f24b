/**
 * The one table of error codes. Each domain declares its closed set of codes beside its error
 * class; this table maps every code to what the CLI exits with and what the HTTP API answers.
 * Exit codes: 1 = findings or a failed verification, 2 = usage, configuration or internal error.
 */
import type { CliErrorCode } from '../cli/errors.js';
import type { ConfigErrorCode } from '../config/errors.js';
import type { MudErrorCode } from '../mud/errors.js';
import type { TlogErrorCode } from '../tlog/errors.js';
import type { FlowErrorCode } from '../flows/errors.js';

export type ErrorCode =
  CliErrorCode | ConfigErrorCode | TlogErrorCode | FlowErrorCode | MudErrorCode | 'INTERNAL';

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
  MUD_UNREADABLE: { exit: 2, http: 500 },
  MUD_SYNTAX: { exit: 2, http: 400 },
  MUD_INVALID: { exit: 2, http: 400 },
  MUD_LIMIT: { exit: 2, http: 413 },
  MUD_CONTEXT_INVALID: { exit: 2, http: 400 },
  MUD_DEVICES_INVALID: { exit: 2, http: 400 },
  MUD_GRANTS_INVALID: { exit: 2, http: 400 },
  FLOW_FILE_UNREADABLE: { exit: 2, http: 400 },
  FLOW_FILE_INVALID: { exit: 2, http: 400 },
  FLOW_PCAP_INVALID: { exit: 2, http: 400 },
  FLOW_ZEEK_INVALID: { exit: 2, http: 400 },
  FLOW_COLLECTOR_BIND: { exit: 2, http: 500 },
} as const satisfies Record<ErrorCode, ErrorOutcome>;

export function outcomeOf(code: ErrorCode): ErrorOutcome {
  return ERROR_CATALOGUE[code];
}
