/**
 * The remediation plan of an authorisation rule (a process, not a ban): every in-scope item must
 * hold an authorisation in force, so each one's deadline is the expiry of the one it holds --
 * renew it or take the item out by then. Items that hold none in force are overdue: since their
 * last authorisation expired, or since the rule took effect.
 */
import type { Day } from '../inventory/day.js';
import type { InventoryItem } from '../inventory/model.js';
import { evaluatePacks } from './evaluate.js';
import type { CompiledPack, CompiledRule } from './model.js';
import type { RemovalStep } from './plan-steps.js';
import { vendorCodeOf, type PreparedInventory } from './prepared-inventory.js';

/** Removal steps of one authorisation rule from `from` on, grouped by deadline and vendor. */
export function authorisationSteps(
  prepared: PreparedInventory,
  pack: CompiledPack,
  rule: CompiledRule,
  from: Day,
): RemovalStep[] {
  const schemes = rule.schemes ?? new Set<string>();
  const start = rule.effective ?? -Infinity;
  const groups = new Map<string, { by: Day; vendor: string; items: string[]; overdue: boolean }>();
  const add = (i: number, by: Day, overdue: boolean): void => {
    const vendor = prepared.vendorKeys[vendorCodeOf(prepared, i)] ?? '?';
    const key = `${by}\u0000${vendor}`;
    const id = (prepared.items[i] as InventoryItem).id;
    const group = groups.get(key);
    if (group === undefined) groups.set(key, { by, vendor, items: [id], overdue });
    else group.items.push(id);
  };
  // Items failing on the plan's first day (or the day the rule takes effect): overdue.
  const day = Math.max(start, from);
  const failing = evaluatePacks(prepared, [{ ...pack, rules: [rule] }], day);
  const failed = new Set<number>();
  for (const finding of failing.findings) {
    if (finding.status === 'review') continue;
    for (const i of finding.indices) {
      failed.add(i);
      const held = (prepared.items[i] as InventoryItem).authorisations
        .filter((a) => schemes.has(a.scheme) && a.expires !== undefined && a.expires < day)
        .map((a) => a.expires as Day);
      add(i, held.length > 0 ? Math.max(...held) : start - 1, from > start - 1 || held.length > 0);
    }
  }
  // Items in scope that hold an authorisation in force with an expiry: due on that expiry. The
  // same evaluation a day after the expiry would list them; reading the records directly avoids
  // one evaluation per distinct expiry.
  const inScope = evaluatePacks(
    prepared,
    [{ ...pack, rules: [{ ...rule, schemes: new Set<string>() }] }],
    day,
  );
  for (const finding of inScope.findings) {
    if (finding.status === 'review') continue;
    for (const i of finding.indices) {
      if (failed.has(i)) continue;
      const valid = (prepared.items[i] as InventoryItem).authorisations.filter(
        (a) =>
          schemes.has(a.scheme) &&
          (a.granted === undefined || a.granted <= day) &&
          (a.expires === undefined || day <= a.expires),
      );
      if (valid.some((a) => a.expires === undefined)) continue;
      add(i, Math.max(...valid.map((a) => a.expires as Day)), false);
    }
  }
  return [...groups.values()].map((g) => ({
    by: g.by,
    pack: pack.id,
    rule: rule.id,
    title: rule.title,
    status: rule.status,
    vendor: g.vendor,
    items: g.items.sort(),
    overdue: g.overdue,
    ...(rule.unverified === undefined ? {} : { unverified: true as const }),
  }));
}
