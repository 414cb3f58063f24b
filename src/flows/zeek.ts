import { open } from 'node:fs/promises';
import { canonicalAddress } from './address.js';
import { FlowError } from './errors.js';
import type { FlowOrigin, FlowRecord } from './flow-record.js';
import { linesOfBuffer, readLines } from './line-reader.js';

/**
 * Zeek conn.log (TSV with `#fields`, or JSON lines) into FlowRecords. Zeek's originator is the
 * end that sent the first packet it saw; for TCP that is the opener only when the handshake was
 * seen (history holds `S`, conn_state is not OTH), so a mid-stream connection gets `unknown`.
 */

const PROTOCOLS: Readonly<Record<string, number>> = { tcp: 6, udp: 17, icmp: 1 };
const REQUIRED = ['ts', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'proto'] as const;

/** True when these first bytes of a file start a Zeek log (TSV header or a JSON line with id.orig_h). */
export function looksLikeZeek(head: Uint8Array): boolean {
  const text = Buffer.from(head.buffer, head.byteOffset, Math.min(head.byteLength, 4096)).toString(
    'utf8',
  );
  return (
    text.startsWith('#separator') ||
    (text.startsWith('{') && text.split('\n', 1)[0]?.includes('"id.orig_h"') === true)
  );
}

/** True when the file starts like a Zeek log; false for anything that cannot be read. */
export async function isZeekLog(path: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch {
    return false;
  }
  try {
    const buffer = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return looksLikeZeek(buffer.subarray(0, bytesRead));
  } catch {
    return false;
  } finally {
    await handle.close();
  }
}

export interface ZeekCounts {
  lines: number;
  records: number;
  /** Lines skipped on purpose (comments, #close), not errors. */
  skipped: number;
}

type Get = (field: string) => string | number | boolean | null | undefined;

/** Streams a conn.log, calling `onRecords` with batches; throws FLOW_ZEEK_INVALID naming file:line and field. */
export async function readZeekConnLog(
  path: string,
  onRecords: (records: FlowRecord[]) => void | Promise<void>,
  /** The log's bytes when they are already in memory (read from a pipe); else `path` is streamed. */
  bytes?: Buffer,
): Promise<ZeekCounts> {
  const lineOptions = { maxLineBytes: 64 * 1024, code: 'FLOW_ZEEK_INVALID' } as const;
  const counts: ZeekCounts = { lines: 0, records: 0, skipped: 0 };
  let fields: string[] | undefined;
  let separator = '\t';
  let unset = '-';
  let batch: FlowRecord[] = [];
  const lines =
    bytes === undefined ? readLines(path, lineOptions) : linesOfBuffer(bytes, path, lineOptions);
  for await (const { text, line } of lines) {
    counts.lines += 1;
    const where = `${path}:${line}`;
    if (text === '') continue;
    if (text.startsWith('#')) {
      if (text.startsWith('#separator ')) separator = unescape(text.slice('#separator '.length));
      else if (text.startsWith('#unset_field')) unset = text.split(separator)[1] ?? '-';
      else if (text.startsWith('#fields')) fields = text.split(separator).slice(1);
      counts.skipped += 1;
      continue;
    }
    let get: Get;
    if (text.startsWith('{')) {
      let object: unknown;
      try {
        object = JSON.parse(text);
      } catch {
        throw invalid(where, 'json', 'not a JSON object');
      }
      if (typeof object !== 'object' || object === null)
        throw invalid(where, 'json', 'not a JSON object');
      const record = object as Record<string, unknown>;
      get = (field) => {
        const value = record[field];
        return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
          ? value
          : undefined;
      };
    } else {
      if (fields === undefined) throw invalid(where, 'header', 'data before the #fields line');
      const cells = text.split(separator);
      const index = new Map(fields.map((name, i) => [name, i]));
      get = (field) => {
        const i = index.get(field);
        const value = i === undefined ? undefined : cells[i];
        return value === unset || value === '(empty)' ? undefined : value;
      };
    }
    batch.push(toRecord(get, where));
    counts.records += 1;
    if (batch.length >= 1024) {
      await onRecords(batch);
      batch = [];
    }
  }
  if (batch.length > 0) await onRecords(batch);
  return counts;
}

function toRecord(get: Get, where: string): FlowRecord {
  for (const field of REQUIRED)
    if (get(field) === undefined) throw invalid(where, field, 'is missing');
  const ts = time(get('ts'), where);
  const duration = number(get('duration'), where, 'duration') ?? 0;
  const src = address(get('id.orig_h'), where, 'id.orig_h');
  const dst = address(get('id.resp_h'), where, 'id.resp_h');
  const protoName = String(get('proto'));
  let proto = PROTOCOLS[protoName];
  if (proto === undefined) throw invalid(where, 'proto', `unknown protocol ${protoName}`);
  if (proto === 1 && src.includes(':')) proto = 58;
  const origP = number(get('id.orig_p'), where, 'id.orig_p') ?? 0;
  const respP = number(get('id.resp_p'), where, 'id.resp_p') ?? 0;
  const icmp = proto === 1 || proto === 58;
  const uid = get('uid');
  return {
    exporter: '',
    domain: 0,
    first: ts,
    last: ts + Math.round(duration * 1000),
    proto,
    src,
    // Zeek puts the ICMP type in orig_p and the code in resp_p.
    sport: icmp ? 0 : origP,
    dst,
    dport: icmp ? origP * 256 + respP : respP,
    packets: number(get('orig_pkts'), where, 'orig_pkts') ?? 0,
    bytes:
      number(get('orig_ip_bytes'), where, 'orig_ip_bytes') ??
      number(get('orig_bytes'), where, 'orig_bytes') ??
      0,
    revPackets: number(get('resp_pkts'), where, 'resp_pkts'),
    revBytes:
      number(get('resp_ip_bytes'), where, 'resp_ip_bytes') ??
      number(get('resp_bytes'), where, 'resp_bytes'),
    sampling: 1,
    origin: origin(proto, get('conn_state'), get('history')),
    id: typeof uid === 'string' && uid.length <= 64 ? uid : undefined,
  };
}

/** Zeek's orig is the initiator, but for TCP only when it was seen sending the SYN. */
function origin(proto: number, state: unknown, history: unknown): FlowOrigin {
  if (proto !== 6) return 'src';
  if (state === 'OTH') return 'unknown';
  if (typeof history === 'string') {
    // `^` means Zeek flipped orig/resp by heuristics: trust it only with a SYN from orig.
    return history.includes('S') ? 'src' : 'unknown';
  }
  return 'unknown';
}

function time(value: unknown, where: string): number {
  if (typeof value === 'number' && Number.isFinite(value)) return Math.round(value * 1000);
  if (typeof value === 'string') {
    if (/^\d{1,12}(\.\d{1,9})?$/.test(value)) return Math.round(Number(value) * 1000);
    const ms = Date.parse(value);
    if (!Number.isNaN(ms) && /^\d{4}-\d{2}-\d{2}T/.test(value)) return ms;
  }
  throw invalid(where, 'ts', 'expected epoch seconds or an ISO 8601 time');
}

function number(
  value: string | number | boolean | null | undefined,
  where: string,
  field: string,
): number | undefined {
  if (value === undefined || value === null) return undefined;
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^\d{1,20}(\.\d{1,9})?$/.test(value)
        ? Number(value)
        : NaN;
  if (!Number.isFinite(n) || n < 0 || n > Number.MAX_SAFE_INTEGER)
    throw invalid(where, field, `not a non-negative number: ${String(value).slice(0, 40)}`);
  return n;
}

function address(value: unknown, where: string, field: string): string {
  const canonical =
    typeof value === 'string' && value.length <= 64 ? canonicalAddress(value) : undefined;
  if (canonical === undefined) throw invalid(where, field, 'not an IP address');
  return canonical;
}

function unescape(text: string): string {
  return text.replace(/\\x([0-9a-fA-F]{2})/g, (_, hex: string) =>
    String.fromCharCode(parseInt(hex, 16)),
  );
}

function invalid(where: string, field: string, message: string): FlowError {
  return new FlowError('FLOW_ZEEK_INVALID', `${where}: field ${field}: ${message}`, {
    where: `${where} (${field})`,
  });
}
