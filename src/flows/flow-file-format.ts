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

const MS_SUFFIX = Array.from({ length: 1000 }, (_, ms) => `.${String(ms).padStart(3, '0')}Z`);
const secondCache = new Map<number, string>();

/**
 * ISO 8601 UTC with milliseconds; empty for a time that is not a valid instant. The text up to
 * the second is cached (records of one export stream share a few seconds), because Date
 * formatting would otherwise dominate the cost of writing a record.
 */
function isoTime(ms: number): string {
  if (!Number.isInteger(ms) || Math.abs(ms) > 8.64e15) return '';
  const second = Math.floor(ms / 1000);
  let prefix = secondCache.get(second);
  if (prefix === undefined) {
    prefix = new Date(second * 1000).toISOString().slice(0, -5);
    if (secondCache.size >= 4096) secondCache.clear();
    secondCache.set(second, prefix);
  }
  return prefix + (MS_SUFFIX[ms - second * 1000] ?? '');
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
  // Built by hand (not JSON.stringify of an object): this runs once per collected record.
  // Only the free-text fields need escaping; addresses and numbers are JSON-safe as they are.
  let line = record.id === undefined ? '{' : `{"id":${JSON.stringify(record.id)},`;
  line +=
    `"exporter":${safeString(record.exporter)},"domain":${record.domain},` +
    `"first":"${isoTime(record.first)}","last":"${isoTime(record.last)}",` +
    `"proto":${record.proto},"src":"${record.src}","sport":${record.sport},` +
    `"dst":"${record.dst}","dport":${record.dport},"packets":${record.packets},"bytes":${record.bytes}`;
  if (record.tcpFlags !== undefined) line += `,"tcp_flags":${record.tcpFlags}`;
  if (record.input !== undefined) line += `,"input":${record.input}`;
  if (record.output !== undefined) line += `,"output":${record.output}`;
  if (record.revPackets !== undefined) line += `,"rev_packets":${record.revPackets}`;
  if (record.revBytes !== undefined) line += `,"rev_bytes":${record.revBytes}`;
  return `${line},"sampling":${record.sampling},"initiator":"${initiatorText(record)}"}`;
}

/** A JSON string literal; the fast path skips JSON.stringify for plain address text. */
function safeString(text: string): string {
  return /^[0-9A-Za-z.:]*$/.test(text) ? `"${text}"` : JSON.stringify(text);
}
