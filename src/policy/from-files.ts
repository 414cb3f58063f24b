/**
 * The policy engine run from files (what the CLI, the check and the read API call): loads the
 * registry, the packs and the inventory file, then hands data to the pure evaluatePacks /
 * planRemediation / vendorShares.
 */
import { parseDay, type Day } from '../inventory/day.js';
import { loadInventory } from '../inventory/load.js';
import { NO_ASSUMPTIONS, type Assumptions } from './bind.js';
import { PolicyError } from './errors.js';
import { evaluatePacks, type Evaluation } from './evaluate.js';
import { loadPack, loadRegistry, mergeRegistries, shippedPackIds } from './load.js';
import type { CompiledPack } from './model.js';
import { planRemediation, type RemediationPlan } from './plan.js';
import { prepareInventory } from './prepare/prepare-inventory.js';
import type { PreparedInventory } from './prepared-inventory.js';
import { vendorShares, type ShareRow } from './shares.js';

/** Parses a `--date`/`--from` value, naming the flag when it is not a calendar day. */
export function parseDateFlag(flag: string, value: string): Day {
  const day = parseDay(value);
  if (day === undefined) {
    throw new PolicyError('POLICY_DATE_INVALID', `${flag} '${value}' is not a date (YYYY-MM-DD)`, {
      where: flag,
    });
  }
  return day;
}

/** Loads packs by id or file; `all` means every shipped pack. */
export function loadPacks(refs: readonly string[]): CompiledPack[] {
  const registry = loadRegistry();
  const ids = refs.flatMap((ref) => (ref === 'all' ? shippedPackIds() : [ref]));
  const packs = ids.map((ref) => loadPack(ref, registry));
  const seen = new Set<string>();
  for (const pack of packs) {
    if (seen.has(pack.id))
      throw new PolicyError('POLICY_PACK_INVALID', `pack '${pack.id}' is given twice`, {
        where: pack.file,
      });
    seen.add(pack.id);
  }
  return packs;
}

async function prepared(
  packs: readonly CompiledPack[],
  inventoryFile: string,
): Promise<PreparedInventory> {
  const inventory = await loadInventory(inventoryFile);
  return prepareInventory(inventory, mergeRegistries(loadRegistry(), packs));
}

export async function checkInventory(
  packRefs: readonly string[],
  inventoryFile: string,
  date: Day,
  assumptions: Assumptions = NO_ASSUMPTIONS,
): Promise<{ packs: CompiledPack[]; evaluation: Evaluation }> {
  const packs = loadPacks(packRefs);
  const ready = await prepared(packs, inventoryFile);
  return { packs, evaluation: evaluatePacks(ready, packs, date, assumptions) };
}

export async function planInventory(
  packRefs: readonly string[],
  inventoryFile: string,
  from: Day,
  assumptions: Assumptions = NO_ASSUMPTIONS,
): Promise<RemediationPlan> {
  const packs = loadPacks(packRefs);
  return planRemediation(await prepared(packs, inventoryFile), packs, from, assumptions);
}

export async function sharesOf(inventoryFile: string, date: Day): Promise<ShareRow[]> {
  return vendorShares(await prepared([], inventoryFile), date);
}

/** What a compliance view needs for one day: the packs, their evaluation, the plan and the shares. */
export interface ComplianceInputs {
  readonly packs: CompiledPack[];
  readonly evaluation: Evaluation;
  readonly plan: RemediationPlan;
  readonly shares: ShareRow[];
}

/** Loads packs and inventory once and evaluates, plans (from `date`) and measures shares on `date`. */
export async function complianceOf(
  packRefs: readonly string[],
  inventoryFile: string,
  date: Day,
): Promise<ComplianceInputs> {
  const packs = loadPacks(packRefs);
  const ready = await prepared(packs, inventoryFile);
  return {
    packs,
    evaluation: evaluatePacks(ready, packs, date),
    plan: planRemediation(ready, packs, date),
    shares: vendorShares(ready, date),
  };
}
