import type { FlowRecord } from './flow-record.js';

/** The flow-file columns, in this exact order (issue 5, `nospy flows decode`). */
export const FLOW_FILE_COLUMNS = [
  'exporter',
  'domain',
  'first',
  'last',
  'proto',
  'src',
  'sport',
  'dst',
  'dport',
  'packets',
  'bytes',
  'tcp_flags',
  'input',
  'output',
  'rev_packets',
  'rev_bytes',
  'sampling',
  'initiator',
] as const;

export type FlowFileColumn = (typeof FLOW_FILE_COLUMNS)[number];

/** The CSV header line, without the newline. */
export function formatFlowCsvHeader(withId = false): string {
  return withId ? `id,${FLOW_FILE_COLUMNS.join(',')}` : FLOW_FILE_COLUMNS.join(',');
}

/** ISO 8601 UTC with milliseconds; empty for a time that is not a valid instant. */
function isoTime(ms: number): string {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? '' : date.toISOString();
}

function optional(value: number | undefined): string {
  return value === undefined ? '' : String(value);
}

/** A CSV cell: quoted only when it holds a comma, quote or line break (RFC 4180 §2). */
function csvCell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The initiator column: the file's device/remote when it had one, else the decoded origin. */
function initiatorText(record: FlowRecord): string {
  return record.initiator ?? record.origin;
}

/** One CSV row (no newline) in FLOW_FILE_COLUMNS order; `withId` puts the record's id first. */
export function formatFlowCsvRow(record: FlowRecord, withId = false): string {
  const row =
    `${csvCell(record.exporter)},${record.domain},${isoTime(record.first)},${isoTime(record.last)},` +
    `${record.proto},${record.src},${record.sport},${record.dst},${record.dport},` +
    `${record.packets},${record.bytes},${optional(record.tcpFlags)},${optional(record.input)},` +
    `${optional(record.output)},${optional(record.revPackets)},${optional(record.revBytes)},` +
    `${record.sampling},${initiatorText(record)}`;
  return withId ? `${csvCell(record.id ?? '')},${row}` : row;
}

/** One NDJSON line (no newline) with the CSV's field names; absent values are left out. */
export function formatFlowNdjson(record: FlowRecord): string {
  const out: Record<string, string | number> = {};
  if (record.id !== undefined) out['id'] = record.id;
  out['exporter'] = record.exporter;
  out['domain'] = record.domain;
  out['first'] = isoTime(record.first);
  out['last'] = isoTime(record.last);
  out['proto'] = record.proto;
  out['src'] = record.src;
  out['sport'] = record.sport;
  out['dst'] = record.dst;
  out['dport'] = record.dport;
  out['packets'] = record.packets;
  out['bytes'] = record.bytes;
  if (record.tcpFlags !== undefined) out['tcp_flags'] = record.tcpFlags;
  if (record.input !== undefined) out['input'] = record.input;
  if (record.output !== undefined) out['output'] = record.output;
  if (record.revPackets !== undefined) out['rev_packets'] = record.revPackets;
  if (record.revBytes !== undefined) out['rev_bytes'] = record.revBytes;
  out['sampling'] = record.sampling;
  out['initiator'] = initiatorText(record);
  return JSON.stringify(out);
}
