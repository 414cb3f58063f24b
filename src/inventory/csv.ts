/**
 * Inventory items from CSV, streamed row by row so a national inventory never sits in memory as
 * text. One row per item; list fields are `;`-separated; a domain history is `domain@YYYY-MM-DD`
 * entries, components `vendor=part` entries, events `type@YYYY-MM-DD` entries. Every error names
 * the file, the line, the data row and the column.
 */
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import { InventoryError } from './errors.js';
import { describeIssue } from './issues.js';
import type { InventoryItem } from './model.js';
import { itemSchema, toItem } from './schema.js';

const LIST_COLUMNS = new Set(['technology', 'manages', 'addresses']);
const BOOLEAN_COLUMNS = new Set(['can_route_or_view_user_data', 'sanctions_affected']);
const NUMBER_COLUMNS = new Set(['premises_served', 'traffic_gb_per_day']);
const SCALAR_COLUMNS = new Set([
  'id',
  'kind',
  'vendor',
  'model',
  'site',
  'domain',
  'procured',
  'installed',
  'removed',
  'purpose',
  'transmission_class',
  'service_type',
  'category',
  'produced_in',
]);
const SPECIAL_COLUMNS = new Set([
  'domain_history',
  'components',
  'events',
  'authorisations',
  'firmware_sha256',
  'firmware_version',
]);
/** Every column a CSV inventory may have. */
export const CSV_COLUMNS: readonly string[] = [
  ...SCALAR_COLUMNS,
  ...LIST_COLUMNS,
  ...BOOLEAN_COLUMNS,
  ...NUMBER_COLUMNS,
  ...SPECIAL_COLUMNS,
];
const KNOWN = new Set(CSV_COLUMNS);

/** One CSV record is one item: a megabyte is far beyond any honest row. */
const MAX_RECORD_BYTES = 1024 * 1024;

/** Reads items from a CSV file, calling `onItem` for each, in file order. */
export async function readCsvItems(
  file: string,
  onItem: (item: InventoryItem, where: string) => void,
): Promise<number> {
  const stream = createReadStream(file);
  const parser = stream.pipe(
    parse({
      bom: true,
      columns: (header: string[]) => checkHeader(file, header),
      info: true,
      skip_empty_lines: true,
      trim: true,
      max_record_size: MAX_RECORD_BYTES,
    }),
  );
  // pipe() does not forward a read error (a missing file): hand it to the parser.
  stream.on('error', (error) => parser.destroy(error));
  let row = 0;
  try {
    for await (const entry of parser as AsyncIterable<{
      record: Record<string, string>;
      info: { lines: number };
    }>) {
      row += 1;
      const where = `${file}:${entry.info.lines}`;
      onItem(rowToItem(entry.record, `${where} (row ${row})`), where);
    }
  } catch (error) {
    if (error instanceof InventoryError) throw error;
    const err = error as { code?: string; lines?: number; message?: string };
    if (err.code === 'ENOENT') {
      throw new InventoryError('INVENTORY_NOT_FOUND', `${file}: no such file`, { where: file });
    }
    if (typeof err.lines === 'number') {
      const where = `${file}:${err.lines}`;
      throw new InventoryError('INVENTORY_SYNTAX', `${where}: ${err.message ?? 'malformed CSV'}`, {
        where,
        cause: error,
      });
    }
    throw new InventoryError('INVENTORY_UNREADABLE', `${file}: cannot read: ${String(error)}`, {
      where: file,
      cause: error,
    });
  }
  return row;
}

function checkHeader(file: string, header: string[]): string[] {
  const where = `${file}:1`;
  const seen = new Set<string>();
  for (const column of header) {
    if (!KNOWN.has(column)) {
      throw new InventoryError(
        'INVENTORY_INVALID',
        `${where}: unknown column '${column}' (known: ${CSV_COLUMNS.join(', ')})`,
        { where },
      );
    }
    if (seen.has(column)) {
      throw new InventoryError('INVENTORY_INVALID', `${where}: column '${column}' appears twice`, {
        where,
      });
    }
    seen.add(column);
  }
  for (const needed of ['id', 'vendor']) {
    if (!seen.has(needed)) {
      throw new InventoryError('INVENTORY_INVALID', `${where}: no '${needed}' column`, { where });
    }
  }
  return header;
}

/** Converts one CSV record into an item; `where` is `file:line (row n)`. */
export function rowToItem(record: Record<string, string>, where: string): InventoryItem {
  const raw: Record<string, unknown> = {};
  let firmware: Record<string, string> | undefined;
  for (const [column, value] of Object.entries(record)) {
    if (value === '') continue;
    if (LIST_COLUMNS.has(column)) raw[column] = splitList(value);
    else if (BOOLEAN_COLUMNS.has(column)) raw[column] = parseBoolean(value);
    else if (NUMBER_COLUMNS.has(column))
      raw[column] = /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
    else if (column === 'domain_history')
      raw[column] = splitList(value).map((e) => pair(e, '@', 'domain', 'from'));
    else if (column === 'events')
      raw[column] = splitList(value).map((e) => pair(e, '@', 'type', 'date'));
    else if (column === 'authorisations') raw[column] = splitList(value).map(authorisationEntry);
    else if (column === 'components')
      raw[column] = splitList(value).map((e) => {
        const [vendor, part] = splitOnce(e, '=');
        return part === undefined ? { vendor } : { vendor, part };
      });
    else if (column === 'firmware_sha256') (firmware ??= {}).sha256 = value;
    else if (column === 'firmware_version') (firmware ??= {}).version = value;
    else raw[column] = value;
  }
  if (firmware !== undefined) raw.firmware = firmware;
  const parsed = itemSchema.safeParse(raw);
  if (parsed.success) return toItem(parsed.data);
  const issue = parsed.error.issues[0];
  const field = columnOf(issue?.path ?? []);
  const id = typeof record.id === 'string' && record.id !== '' ? ` item '${record.id}'` : '';
  throw new InventoryError(
    'INVENTORY_INVALID',
    `${where},${id} column '${field}': ${issue === undefined ? 'invalid' : describeIssue(issue)}`,
    { where },
  );
}

function columnOf(path: readonly PropertyKey[]): string {
  const [head, , sub] = path;
  if (head === 'firmware') return sub === 'version' ? 'firmware_version' : 'firmware_sha256';
  return typeof head === 'string' ? head : 'row';
}

function splitList(value: string): string[] {
  return value
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

function splitOnce(value: string, separator: string): [string, string | undefined] {
  const at = value.lastIndexOf(separator);
  return at < 0
    ? [value.trim(), undefined]
    : [value.slice(0, at).trim(), value.slice(at + 1).trim()];
}

function pair(
  entry: string,
  separator: string,
  first: string,
  second: string,
): Record<string, string> {
  const [a, b] = splitOnce(entry, separator);
  return b === undefined ? { [first]: a } : { [first]: a, [second]: b };
}

/**
 * `scheme=id`, `scheme=id@expires` or `scheme=id@granted..expires` (either day may be left out
 * around the `..`). Malformed parts are passed on as written, so the schema names the column.
 */
function authorisationEntry(entry: string): Record<string, string> {
  const at = entry.lastIndexOf('@');
  const head = at < 0 ? entry : entry.slice(0, at);
  const days = at < 0 ? undefined : entry.slice(at + 1).trim();
  const eq = head.indexOf('=');
  const out: Record<string, string> =
    eq < 0
      ? { scheme: head.trim() }
      : { scheme: head.slice(0, eq).trim(), id: head.slice(eq + 1).trim() };
  if (days === undefined) return out;
  const range = days.indexOf('..');
  if (range < 0) return { ...out, expires: days };
  const granted = days.slice(0, range).trim();
  const expires = days.slice(range + 2).trim();
  return {
    ...out,
    ...(granted === '' ? {} : { granted }),
    ...(expires === '' ? {} : { expires }),
  };
}

function parseBoolean(value: string): boolean | string {
  const v = value.toLowerCase();
  if (v === 'true' || v === 'yes' || v === '1') return true;
  if (v === 'false' || v === 'no' || v === '0') return false;
  return value;
}
