/**
 * Reads an operator's inventory: a YAML or JSON document (operator, sites, items inline or in a
 * CSV file beside it), or a bare CSV file of items. Every problem is an InventoryError naming the
 * file and the line and column (YAML/JSON) or line, row and column (CSV), and the field.
 */
import { readBoundedText } from '../io/bounded-read.js';
import { dirname, extname, resolve } from 'node:path';
import type { z } from 'zod';
import { errorText } from '../errors/error-text.js';
import { readCsvItems } from './csv.js';
import { InventoryError } from './errors.js';
import { describeIssue, pathText } from './issues.js';
import type { Inventory, InventoryItem, Operator, Site } from './model.js';
import { inventoryFileSchema, itemSchema, toItem, toOperator, toSite } from './schema.js';
import { parseYamlSource, positionOf, yamlValue, type YamlSource } from '../yaml/source.js';

/**
 * A YAML/JSON inventory is parsed whole with positions, which costs about 100 bytes of memory per
 * byte of text (some 16 KB per item: 20,000 items of 170 bytes grew the process by 320 MB). 8 MiB
 * (some 50,000 items) keeps a check under a gigabyte; more items belong in a CSV file, which is
 * streamed at a fraction of that.
 */
export const MAX_DOCUMENT_BYTES = 8 * 1024 * 1024;
/** The most items one inventory may hold. */
export const MAX_ITEMS = 20_000_000;

/** Loads the inventory at `file` (`.csv` for a bare list of items; else YAML or JSON). */
export async function loadInventory(file: string): Promise<Inventory> {
  if (extname(file).toLowerCase() === '.csv') {
    const items = await csvItems(file);
    return assemble(
      { id: 'unknown', usFederalContractor: false, usfRecipient: false },
      [],
      items,
      () => file,
      file,
    );
  }
  const text = readBounded(file);
  const document =
    extname(file).toLowerCase() === '.json' ? parseJson(file, text) : parseYaml(file, text);
  const { value, locate } = document;
  const top = inventoryFileSchema.safeParse(value);
  if (!top.success) throw invalid(top.error.issues[0], locate);
  const data = top.data;
  const sites = data.sites.map(toSite);
  let items: InventoryItem[];
  if (data.items !== undefined && data.items_csv !== undefined) {
    throw new InventoryError(
      'INVENTORY_INVALID',
      `${locate(['items_csv'])}: give items or items_csv, not both`,
      {
        where: locate(['items_csv']),
      },
    );
  }
  if (data.items_csv !== undefined) {
    items = await csvItems(resolve(dirname(file), data.items_csv));
  } else {
    const rows = data.items ?? [];
    if (rows.length > MAX_ITEMS) throw tooMany(file);
    items = rows.map((row, index) => {
      const parsed = itemSchema.safeParse(row);
      if (!parsed.success) {
        throw invalid(parsed.error.issues[0], locate, ['items', index], itemId(row));
      }
      return toItem(parsed.data);
    });
  }
  const itemWhere = (index: number): string =>
    data.items_csv === undefined
      ? locate(['items', index])
      : resolve(dirname(file), data.items_csv);
  return assemble(toOperator(data.operator), sites, items, itemWhere, locate(['sites']));
}

/**
 * An inventory from an already-parsed document (items inline), validated exactly as a file is;
 * errors name `name` and the field path.
 */
export function inventoryFromObject(value: unknown, name = 'inventory'): Inventory {
  const locate: Locate = () => name;
  const top = inventoryFileSchema.safeParse(value);
  if (!top.success) throw invalid(top.error.issues[0], locate);
  if (top.data.items_csv !== undefined) {
    throw new InventoryError(
      'INVENTORY_INVALID',
      `${name}: items_csv needs a file to resolve against`,
      { where: name },
    );
  }
  return inlineInventory(top.data, top.data.items ?? [], locate);
}

/** The inventory a document describes with its items inline, each item validated. */
function inlineInventory(
  data: { operator: Parameters<typeof toOperator>[0]; sites: Parameters<typeof toSite>[0][] },
  rows: readonly unknown[],
  locate: Locate,
): Inventory {
  const items = rows.map((row, index) => {
    const parsed = itemSchema.safeParse(row);
    if (!parsed.success)
      throw invalid(parsed.error.issues[0], locate, ['items', index], itemId(row));
    return toItem(parsed.data);
  });
  return assemble(
    toOperator(data.operator),
    data.sites.map(toSite),
    items,
    (i) => locate(['items', i]),
    locate(['sites']),
  );
}

/**
 * An inventory from the bytes of a self-contained YAML or JSON document (items inline), as a
 * logged inventory is held in the blob store: validated exactly as a file is, errors naming `name`
 * with line and column.
 */
export function inventoryFromText(text: string, name: string, format: 'yaml' | 'json'): Inventory {
  if (Buffer.byteLength(text, 'utf8') > MAX_DOCUMENT_BYTES) {
    throw new InventoryError(
      'INVENTORY_UNREADABLE',
      `${name}: more than the ${MAX_DOCUMENT_BYTES} bytes a YAML/JSON inventory may have`,
      { where: name },
    );
  }
  const { value, locate } = format === 'json' ? parseJson(name, text) : parseYaml(name, text);
  const top = inventoryFileSchema.safeParse(value);
  if (!top.success) throw invalid(top.error.issues[0], locate);
  if (top.data.items_csv !== undefined) {
    throw new InventoryError(
      'INVENTORY_INVALID',
      `${locate(['items_csv'])}: a logged inventory must hold its items (items_csv names another file)`,
      { where: locate(['items_csv']) },
    );
  }
  const rows = top.data.items ?? [];
  if (rows.length > MAX_ITEMS) throw tooMany(name);
  return inlineInventory(top.data, rows, locate);
}

type Locate = (path: readonly PropertyKey[], key?: string) => string;

interface ParsedDocument {
  readonly value: unknown;
  readonly locate: Locate;
}

function readBounded(file: string): string {
  return readBoundedText(file, {
    maxBytes: MAX_DOCUMENT_BYTES,
    what: 'inventory',
    failure: (error) =>
      error.code === 'INPUT_TOO_LARGE'
        ? new InventoryError(
            'INVENTORY_UNREADABLE',
            `${error.message}: a YAML/JSON inventory costs about 100 bytes of memory per byte while it is checked, so it is bounded by what memory allows; put the items in a CSV file (items_csv: items.csv), which is streamed`,
            { where: file, cause: error },
          )
        : new InventoryError(
            error.code === 'INPUT_NOT_FOUND' ? 'INVENTORY_NOT_FOUND' : 'INVENTORY_UNREADABLE',
            error.message,
            { where: file, cause: error },
          ),
  });
}

function parseYaml(file: string, text: string): ParsedDocument {
  const { source, syntax } = parseYamlSource(text, file);
  if (syntax !== undefined) {
    throw new InventoryError('INVENTORY_SYNTAX', `${syntax.where}: ${syntax.message}`, {
      where: syntax.where,
    });
  }
  const read = yamlValue(source, 1000);
  if ('problem' in read) {
    const { where, message } = read.problem;
    throw new InventoryError('INVENTORY_SYNTAX', `${where}: ${message}`, { where });
  }
  return {
    value: read.value,
    locate: (path, key) => positionOf(source, path, key),
  };
}

function parseJson(file: string, text: string): ParsedDocument {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    // Node 20's JSON.parse names no position: the YAML parser (JSON is YAML 1.2) finds it.
    const message = errorText(error);
    const { syntax } = parseYamlSource(text, file);
    const where = syntax?.where ?? `${file}:1:1`;
    throw new InventoryError('INVENTORY_SYNTAX', `${where}: ${syntax?.message ?? message}`, {
      where,
      cause: error,
    });
  }
  // Positions are only needed for an error: parse again with positions then, not before.
  let source: YamlSource | undefined;
  return {
    value,
    locate: (path, key) => {
      source ??= parseYamlSource(text, file).source;
      return positionOf(source, path, key);
    },
  };
}

async function csvItems(file: string): Promise<InventoryItem[]> {
  const items: InventoryItem[] = [];
  await readCsvItems(file, (item) => {
    if (items.length >= MAX_ITEMS) throw tooMany(file);
    items.push(item);
  });
  return items;
}

function tooMany(file: string): InventoryError {
  return new InventoryError('INVENTORY_INVALID', `${file}: more than ${MAX_ITEMS} items`, {
    where: file,
  });
}

function itemId(row: unknown): string | undefined {
  if (typeof row !== 'object' || row === null) return undefined;
  const id = (row as Record<string, unknown>).id;
  return typeof id === 'string' ? id : undefined;
}

function invalid(
  issue: z.core.$ZodIssue | undefined,
  locate: Locate,
  prefix: readonly PropertyKey[] = [],
  id?: string,
): InventoryError {
  if (issue === undefined) return new InventoryError('INVENTORY_INVALID', 'invalid inventory');
  const path = [...prefix, ...issue.path];
  const key = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
  const where = locate(path, key);
  const subject = id === undefined ? '' : `item '${id}' `;
  const fullPath = key === undefined ? path : [...path, key];
  const field = fullPath.length === 0 ? 'document' : pathText(fullPath);
  return new InventoryError(
    'INVENTORY_INVALID',
    `${where}: ${subject}${field}: ${describeIssue(issue)}`,
    {
      where,
    },
  );
}

function assemble(
  operator: Operator,
  siteList: readonly Site[],
  items: readonly InventoryItem[],
  itemWhere: (index: number) => string,
  sitesWhere: string,
): Inventory {
  const sites = new Map<string, Site>();
  for (const site of siteList) {
    if (sites.has(site.id)) {
      throw new InventoryError(
        'INVENTORY_INVALID',
        `${sitesWhere}: site '${site.id}' is listed twice`,
        {
          where: sitesWhere,
        },
      );
    }
    sites.set(site.id, site);
  }
  const declared = sites.size > 0;
  const ids = new Set<string>();
  items.forEach((item, index) => {
    if (ids.has(item.id)) {
      const where = itemWhere(index);
      throw new InventoryError(
        'INVENTORY_INVALID',
        `${where}: item id '${item.id}' is used twice`,
        { where },
      );
    }
    ids.add(item.id);
    if (item.site !== undefined && !sites.has(item.site)) {
      if (declared) {
        const where = itemWhere(index);
        throw new InventoryError(
          'INVENTORY_INVALID',
          `${where}: item '${item.id}' site: no site '${item.site}' in the inventory's sites`,
          { where },
        );
      }
    }
  });
  if (!declared) {
    // A bare item list: its sites are implied, and none is known to be sensitive.
    for (const item of items) {
      if (item.site !== undefined && !sites.has(item.site))
        sites.set(item.site, { id: item.site, sensitive: false });
    }
  }
  return { operator, sites, items };
}
