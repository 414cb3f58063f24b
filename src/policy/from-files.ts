/**
 * The policy engine run from files (what the CLI, the check and the read API call): loads the
 * registry, the packs and the inventory file, then hands data to the pure evaluatePacks /
 * planRemediation / vendorShares.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { errorText } from '../errors/error-text.js';
import { parseDay, type Day } from '../inventory/day.js';
import { inventoryFromText, loadInventory } from '../inventory/load.js';
import { NO_ASSUMPTIONS, type Assumptions } from './bind.js';
import { PolicyError } from './errors.js';
import { evaluatePacks, type Evaluation } from './evaluate.js';
import {
  loadPack,
  loadRegistry,
  mergeRegistries,
  packFile,
  shippedPackIds,
  shippedPacksDir,
} from './load.js';
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

/** What an evaluation rests on besides the inventory: each pack file's SHA-256 and the registry's. */
export interface EvaluationDigests {
  readonly packs: readonly { readonly id: string; readonly sha256: string }[];
  /** Hex SHA-256 of the vendor registry file. */
  readonly registry: string;
}

const REGISTRY_PATH = (): string => join(shippedPacksDir(), 'registry.yaml');

function fileSha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** The digests of the packs evaluated (their files, byte for byte) and of the shipped registry. */
export function evaluationDigests(packs: readonly CompiledPack[]): EvaluationDigests {
  return {
    packs: packs.map((p) => ({ id: p.id, sha256: fileSha256(p.file) })),
    registry: fileSha256(REGISTRY_PATH()),
  };
}

/** The basis of a logged policy finding, as `nospy verify` re-evaluates it. */
export interface LoggedEvaluationBasis extends EvaluationDigests {
  readonly inventory: Buffer;
  readonly format: 'yaml' | 'json';
  /** YYYY-MM-DD. */
  readonly date: string;
}

export type RecheckOutcome =
  | { readonly evaluation: Evaluation; readonly packs: readonly string[] }
  | { readonly failed: 'pack' | 'registry' | 'inventory' | 'date'; readonly message: string };

/**
 * Re-evaluates rule packs on a logged inventory's bytes, offline: each pack is the verifier's own
 * (a file it names, else the pack of that id shipped with this nospy), and must be byte for byte
 * the one the finding names (its SHA-256), as must the registry; the inventory is read from the
 * bytes alone. Returns the evaluation, or the first thing that keeps it from being made.
 */
export function recheckInventory(
  basis: LoggedEvaluationBasis,
  options: { readonly packFiles?: readonly string[] } = {},
): RecheckOutcome {
  const day = parseDay(basis.date);
  if (day === undefined) return { failed: 'date', message: `'${basis.date}' is not a date` };
  const registry = fileSha256(REGISTRY_PATH());
  if (registry !== basis.registry) {
    return {
      failed: 'registry',
      message: `the finding was made with vendor registry sha256:${basis.registry}; this nospy's is sha256:${registry}`,
    };
  }
  const base = loadRegistry();
  const given = new Map<string, CompiledPack>();
  for (const file of options.packFiles ?? []) {
    try {
      const pack = loadPack(file, base);
      given.set(pack.id, pack);
    } catch (error) {
      return { failed: 'pack', message: `${file}: ${errorText(error)}` };
    }
  }
  const packs: CompiledPack[] = [];
  const used: string[] = [];
  for (const { id, sha256 } of basis.packs) {
    let pack = given.get(id);
    if (pack === undefined) {
      try {
        packFile(id);
        pack = loadPack(id, base);
      } catch (error) {
        return {
          failed: 'pack',
          message: `pack ${id} is not shipped with this nospy (${errorText(error)}); give the pack file with --pack`,
        };
      }
    }
    const actual = fileSha256(pack.file);
    if (actual !== sha256) {
      return {
        failed: 'pack',
        message: `the finding was made with pack ${id} sha256:${sha256}; ${pack.file} is sha256:${actual}`,
      };
    }
    packs.push(pack);
    used.push(given.has(id) ? `${id} (${pack.file})` : `${id} (shipped with this nospy)`);
  }
  let inventory;
  try {
    inventory = inventoryFromText(
      basis.inventory.toString('utf8'),
      'logged inventory',
      basis.format,
    );
  } catch (error) {
    return { failed: 'inventory', message: errorText(error) };
  }
  const ready = prepareInventory(inventory, mergeRegistries(base, packs));
  return { evaluation: evaluatePacks(ready, packs, day), packs: used };
}
