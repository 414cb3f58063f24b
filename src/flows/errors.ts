import { NospyError } from '../errors/nospy-error.js';

/**
 * - FLOW_FILE_UNREADABLE: a flow, pcap or Zeek file that cannot be opened or read.
 * - FLOW_FILE_INVALID: a flow file (CSV/NDJSON) with a bad header, line or field.
 * - FLOW_PCAP_INVALID: a capture file whose headers cannot be trusted.
 * - FLOW_ZEEK_INVALID: a Zeek conn.log with a bad header, line or field.
 * - FLOW_COLLECTOR_BIND: a collector socket that cannot be opened.
 * - FLOW_COLLECTOR_OUTPUT: the collector's output file or flow store cannot be written.
 * - FLOW_STORE_LOCKED: another live collector writes the same flow store.
 * - FLOW_BATCH_INVALID: a binary flow batch (docs/flows.md) that cannot be decoded, or a record
 *   that does not fit the format.
 */
export type FlowErrorCode =
  | 'FLOW_FILE_UNREADABLE'
  | 'FLOW_FILE_INVALID'
  | 'FLOW_PCAP_INVALID'
  | 'FLOW_ZEEK_INVALID'
  | 'FLOW_COLLECTOR_BIND'
  | 'FLOW_COLLECTOR_OUTPUT'
  | 'FLOW_STORE_LOCKED'
  | 'FLOW_BATCH_INVALID';

/** Unreadable or malformed flow input: files, captures, logs, collector sockets. */
export class FlowError extends NospyError<FlowErrorCode> {
  override readonly name = 'FlowError';
}
