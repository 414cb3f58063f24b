import { canonicalAddress } from './address.js';
import { FlowError } from './errors.js';
import { FLOW_FILE_COLUMNS, type FlowFileColumn } from './flow-file-format.js';
import type { FlowInitiator, FlowOrigin, FlowRecord } from './flow-record.js';

/** The initiator values a flow file may carry: the decoders' and the MUD check's vocabulary. */
export type FlowFileInitiator = FlowOrigin | FlowInitiator;

const INITIATORS: ReadonlySet<string> = new Set(['src', 'dst', 'device', 'remote', 'unknown']);
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const MAX_ID_LENGTH = 256;
const MAX_EXPORTER_LENGTH = 255;

/** A cell's raw value: CSV text, or a JSON scalar; null/undefined/'' mean absent. */
type Cell = string | number | boolean | null | undefined;

function fail(where: string, field: string, message: string): never {
  throw new FlowError('FLOW_FILE_INVALID', `${where}: field ${field}: ${message}`, {
    where: `${where} (${field})`,
  });
}

function isAbsent(value: Cell): value is null | undefined | '' {
  return value === undefined || value === null || value === '';
}

function integer(value: Cell, where: string, field: string, max: number): number | undefined {
  if (isAbsent(value)) return undefined;
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && /^\d{1,20}$/.test(value)) n = Number(value);
  else return fail(where, field, `expected a non-negative integer, got ${JSON.stringify(value)}`);
  if (!Number.isSafeInteger(n) || n < 0 || n > max) {
    return fail(where, field, `expected an integer in 0..${max}, got ${String(value)}`);
  }
  return n;
}

function required(value: Cell, where: string, field: string, max: number): number {
  const n = integer(value, where, field, max);
  return n === undefined ? fail(where, field, 'is required') : n;
}

function time(value: Cell, where: string, field: string): number {
  if (isAbsent(value)) return fail(where, field, 'is required (ISO 8601 UTC time)');
  if (typeof value === 'number') return required(value, where, field, 8.64e15);
  if (typeof value !== 'string' || !ISO_UTC.test(value)) {
    return fail(where, field, `expected an ISO 8601 time like 2024-01-01T00:00:00.000Z`);
  }
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? fail(where, field, `not a valid time: ${value}`) : ms;
}

function address(value: Cell, where: string, field: string): string {
  if (typeof value !== 'string' || value === '')
    return fail(where, field, 'is required (an IP address)');
  const canonical = value.length <= 64 ? canonicalAddress(value) : undefined;
  return (
    canonical ??
    fail(where, field, `not an IPv4 or IPv6 address: ${JSON.stringify(value.slice(0, 64))}`)
  );
}

function text(value: Cell, where: string, field: string, maxLength: number): string | undefined {
  if (isAbsent(value)) return undefined;
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string') return fail(where, field, 'expected text');
  if (value.length > maxLength) return fail(where, field, `longer than ${maxLength} characters`);
  // Control characters would corrupt a log line or a terminal.
  if (hasControlCharacter(value)) return fail(where, field, 'holds control characters');
  return value;
}

/** What one line of a flow file yields: the record and the initiator exactly as written. */
export interface ParsedFlow {
  readonly record: FlowRecord;
  readonly initiator: FlowFileInitiator;
}

/**
 * Validates one flow's cells (by column name) into a FlowRecord. Throws FLOW_FILE_INVALID
 * naming `where` (file:line) and the field.
 */
export function parseFlowCells(
  get: (column: FlowFileColumn | 'id') => Cell,
  where: string,
): ParsedFlow {
  const exporterText = text(get('exporter'), where, 'exporter', MAX_EXPORTER_LENGTH) ?? '';
  const exporter = exporterText === '' ? '' : (canonicalAddress(exporterText) ?? exporterText);
  const initiatorCell = get('initiator');
  const initiatorRaw = isAbsent(initiatorCell) ? 'unknown' : initiatorCell;
  if (typeof initiatorRaw !== 'string' || !INITIATORS.has(initiatorRaw)) {
    fail(
      where,
      'initiator',
      `expected src, dst, device, remote or unknown, got ${JSON.stringify(initiatorRaw)}`,
    );
  }
  const initiator = initiatorRaw as FlowFileInitiator;
  const first = time(get('first'), where, 'first');
  const last = time(get('last'), where, 'last');
  if (last < first) fail(where, 'last', 'is before first');
  const sampling = integer(get('sampling'), where, 'sampling', 0xffffffff) ?? 1;
  const record: FlowRecord = {
    exporter,
    domain: integer(get('domain'), where, 'domain', 0xffffffff) ?? 0,
    first,
    last,
    proto: required(get('proto'), where, 'proto', 255),
    src: address(get('src'), where, 'src'),
    sport: integer(get('sport'), where, 'sport', 65535) ?? 0,
    dst: address(get('dst'), where, 'dst'),
    dport: integer(get('dport'), where, 'dport', 65535) ?? 0,
    packets: integer(get('packets'), where, 'packets', Number.MAX_SAFE_INTEGER) ?? 0,
    bytes: integer(get('bytes'), where, 'bytes', Number.MAX_SAFE_INTEGER) ?? 0,
    tcpFlags: integer(get('tcp_flags'), where, 'tcp_flags', 0xffff),
    input: integer(get('input'), where, 'input', 0xffffffff),
    output: integer(get('output'), where, 'output', 0xffffffff),
    revPackets: integer(get('rev_packets'), where, 'rev_packets', Number.MAX_SAFE_INTEGER),
    revBytes: integer(get('rev_bytes'), where, 'rev_bytes', Number.MAX_SAFE_INTEGER),
    sampling: sampling === 0 ? 1 : sampling,
    origin: initiator === 'src' || initiator === 'dst' ? initiator : 'unknown',
    initiator: initiator === 'device' || initiator === 'remote' ? initiator : undefined,
    id: text(get('id'), where, 'id', MAX_ID_LENGTH),
  };
  return { record, initiator };
}

/** Where the columns sit in a CSV flow file: the fixed order, with `id` first, last or absent. */
export interface CsvLayout {
  readonly idIndex: -1 | 0 | 18;
  readonly width: number;
}

/** Checks a CSV header against FLOW_FILE_COLUMNS (plus an optional leading or trailing `id`). */
export function parseCsvHeader(cells: readonly string[], where: string): CsvLayout {
  const names = cells.map((cell) => cell.trim());
  let idIndex: CsvLayout['idIndex'] = -1;
  let columns = names;
  if (names[0] === 'id') {
    idIndex = 0;
    columns = names.slice(1);
  } else if (names[names.length - 1] === 'id') {
    idIndex = 18;
    columns = names.slice(0, -1);
  }
  FLOW_FILE_COLUMNS.forEach((expected, i) => {
    if (columns[i] !== expected) {
      fail(
        where,
        'header',
        `column ${i + 1 + (idIndex === 0 ? 1 : 0)} must be ${expected}, got ${JSON.stringify(columns[i] ?? '')}`,
      );
    }
  });
  if (columns.length !== FLOW_FILE_COLUMNS.length) {
    fail(
      where,
      'header',
      `expected ${FLOW_FILE_COLUMNS.length} columns (plus an optional id), got ${names.length}`,
    );
  }
  return { idIndex, width: names.length };
}

const COLUMN_INDEX = new Map<string, number>(FLOW_FILE_COLUMNS.map((name, i) => [name, i]));

/** Splits one CSV line (RFC 4180 quoting, no embedded line breaks). */
export function splitCsvLine(line: string, where: string): string[] {
  const cells: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let cell = '';
      i += 1;
      for (;;) {
        const quote = line.indexOf('"', i);
        if (quote < 0) fail(where, 'csv', 'unterminated quoted cell');
        cell += line.slice(i, quote);
        if (line[quote + 1] === '"') {
          cell += '"';
          i = quote + 2;
        } else {
          i = quote + 1;
          break;
        }
      }
      if (i < line.length && line[i] !== ',') fail(where, 'csv', 'text after a quoted cell');
      cells.push(cell);
      i += 1;
    } else {
      const comma = line.indexOf(',', i);
      const end = comma < 0 ? line.length : comma;
      cells.push(line.slice(i, end));
      i = end + 1;
    }
  }
  return cells;
}

/** Parses one CSV data row laid out as `layout`. */
export function parseCsvRow(line: string, layout: CsvLayout, where: string): ParsedFlow {
  const cells = splitCsvLine(line, where);
  if (cells.length !== layout.width) {
    fail(where, 'csv', `expected ${layout.width} cells, got ${cells.length}`);
  }
  const offset = layout.idIndex === 0 ? 1 : 0;
  return parseFlowCells((column) => {
    if (column === 'id') return layout.idIndex < 0 ? undefined : cells[layout.idIndex];
    return cells[(COLUMN_INDEX.get(column) ?? 0) + offset];
  }, where);
}

/** Parses one NDJSON line: an object with the CSV's field names (unknown fields are ignored). */
export function parseNdjsonLine(line: string, where: string): ParsedFlow {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    fail(where, 'json', error instanceof Error ? error.message : 'not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail(where, 'json', 'expected one JSON object per line');
  }
  const object = value as Record<string, unknown>;
  return parseFlowCells((column) => {
    const cell = Object.hasOwn(object, column) ? object[column] : undefined;
    if (cell === undefined || cell === null || typeof cell === 'string' || typeof cell === 'number')
      return cell;
    return fail(where, column, `expected a string or a number, got ${typeof cell}`);
  }, where);
}

function hasControlCharacter(value: string): boolean {
  for (let i = 0; i < value.length; i += 1) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}
