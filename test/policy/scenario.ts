import { parseDay } from '../../src/inventory/day.js';
import { inventoryFromObject } from '../../src/inventory/load.js';
import { evaluatePacks, type Evaluation } from '../../src/policy/evaluate.js';
import { loadPack, loadRegistry } from '../../src/policy/load.js';
import type { CompiledPack } from '../../src/policy/model.js';
import { prepareInventory } from '../../src/policy/prepare/prepare-inventory.js';
import type { PreparedInventory } from '../../src/policy/prepared-inventory.js';
import { checkDocument, type CheckDocument } from '../../src/policy/report.js';

const registry = loadRegistry();
const packs = new Map<string, CompiledPack>();

/** A shipped pack, loaded once per test file. */
export function shippedPack(id: string): CompiledPack {
  let pack = packs.get(id);
  if (pack === undefined) {
    pack = loadPack(id, registry);
    packs.set(id, pack);
  }
  return pack;
}

export interface InventoryInput {
  operator?: Record<string, unknown>;
  sites?: Record<string, unknown>[];
  items: Record<string, unknown>[];
}

/** An inventory validated exactly as a file would be, resolved against the shipped registry. */
export function prepare(input: InventoryInput): PreparedInventory {
  const inventory = inventoryFromObject({
    operator: { id: 'op', ...input.operator },
    sites: input.sites ?? [],
    items: input.items,
  });
  return prepareInventory(inventory, registry);
}

/** The `--json` document of `nospy policy check` for these packs on `date`. */
export function check(
  packIds: readonly string[],
  input: InventoryInput | PreparedInventory,
  date: string,
  assume: Readonly<Record<string, string>> = {},
): CheckDocument {
  return checkDocument(evaluate(packIds, input, date, assume));
}

export function evaluate(
  packIds: readonly string[],
  input: InventoryInput | PreparedInventory,
  date: string,
  assume: Readonly<Record<string, string>> = {},
): Evaluation {
  const prepared = 'entityIds' in input ? input : prepare(input);
  const day = parseDay(date);
  if (day === undefined) throw new Error(`bad test date ${date}`);
  const assumptions = new Map(
    Object.entries(assume).map(([name, value]) => [name, parseDay(value) ?? NaN]),
  );
  return evaluatePacks(prepared, packIds.map(shippedPack), day, assumptions);
}

/** The findings of one rule in a check document. */
export function findingsOf(doc: CheckDocument, rule: string): CheckDocument['findings'] {
  return doc.findings.filter((f) => f.rule === rule);
}
