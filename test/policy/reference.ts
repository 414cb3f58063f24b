/**
 * A deliberately plain evaluator, written from the policy reference (docs/policy.md, Vocabulary
 * and semantics) for the property test that checks the optimised one. It reads item objects
 * directly, one rule and one item at a time, with no indexes, columns or caches.
 */
import {
  authorisationValid,
  domainAt,
  isActive,
  type Inventory,
  type InventoryItem,
} from '../../src/inventory/model.js';
import { bindPacks, NO_ASSUMPTIONS, type Assumptions } from '../../src/policy/bind.js';
import { normaliseVendorName, VendorResolver } from '../../src/inventory/vendor.js';
import { measureResult, type MeasureResult } from '../../src/policy/cap.js';
import type { CompiledPack, CompiledRule, PackEntity } from '../../src/policy/model.js';
import { identitiesOf } from '../../src/policy/registry.js';
import type { CheckDocument } from '../../src/policy/report.js';
import type { Measure, RegistryInput } from '../../src/policy/schema.js';
import { reimbursementDeadline } from '../../src/policy/scope.js';
import { compileWhere } from '../../src/policy/where.js';

export function referenceCheck(
  packs: readonly CompiledPack[],
  inventory: Inventory,
  registry: RegistryInput,
  T: number,
  assumptions: Assumptions = NO_ASSUMPTIONS,
): CheckDocument {
  const bound = bindPacks(packs, assumptions);
  const resolver = new VendorResolver(identitiesOf(registry));
  const site = (item: InventoryItem) =>
    item.site === undefined ? undefined : inventory.sites.get(item.site);
  const ownEntity = (vendor: string): string | undefined => {
    const m = resolver.resolve(vendor);
    return m !== undefined && m.role !== 'not-affiliated' && m.identity in registry.entities
      ? m.identity
      : undefined;
  };
  const entitiesOf = (item: InventoryItem): string[] => {
    const own = ownEntity(item.vendor);
    const out = own === undefined ? [] : [own];
    for (const [id, e] of Object.entries(registry.entities)) {
      if (e.match === undefined || id === own) continue;
      if (compileWhere(e.match, []).item?.(item, site(item)) === true) out.push(id);
    }
    return out;
  };
  const vendorIdentity = (vendor: string): string => {
    const m = resolver.resolve(vendor);
    return m !== undefined && m.role !== 'not-affiliated'
      ? m.identity
      : normaliseVendorName(vendor) || vendor;
  };
  const overlaps = (item: InventoryItem, rule: CompiledRule): boolean =>
    rule.technology === undefined || item.technology.some((t) => rule.technology?.has(t));
  const inScope = (rule: CompiledRule, entity: PackEntity, item: InventoryItem): boolean =>
    rule.kinds.has(item.kind) &&
    (entity.kinds === undefined || entity.kinds.has(item.kind)) &&
    (entity.purposes === undefined ||
      (item.purpose !== undefined && entity.purposes.has(item.purpose))) &&
    overlaps(item, rule) &&
    (rule.where.item === undefined || rule.where.item(item, site(item)));

  const doc: {
    findings: CheckDocument['findings'][number][];
    measurements: CheckDocument['measurements'][number][];
    exempt: CheckDocument['exempt'][number][];
  } = { findings: [], measurements: [], exempt: [] };
  const pending = bound.pending.map((p) => ({
    rule: p.rule,
    status: p.status,
    waits_for: p.waitsFor.map((w) => w.parameter),
  }));
  const sortIds = (items: InventoryItem[]): string[] =>
    items.map((i) => i.id).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

  for (const pack of bound.packs) {
    for (const rule of pack.rules) {
      if (!rule.enabled) continue;
      // Decided between the two readings of an uncertain date (share rules: one per rule).
      let unsureRule: boolean;
      if (rule.where.operator !== undefined && !rule.where.operator(inventory.operator)) continue;
      const scope = rule.entities
        .map((id) => pack.entities.find((e) => e.id === id))
        .filter((e): e is PackEntity => e !== undefined && e.id in registry.entities)
        .sort((a, b) => (a.listedOn ?? 0) - (b.listedOn ?? 0));
      // The entity an item counts for: the earliest-listed entity of the scope it belongs to.
      const entityOf = (item: InventoryItem): PackEntity | undefined => {
        const mine = entitiesOf(item);
        return scope.find((e) => mine.includes(e.id));
      };
      const componentEntityOf = (item: InventoryItem): PackEntity | undefined => {
        const own = ownEntity(item.vendor);
        if (own !== undefined && scope.some((e) => e.id === own)) return undefined;
        const parts = item.components.map((c) => ownEntity(c.vendor));
        return scope.find((e) => parts.includes(e.id));
      };
      const fired: { item: InventoryItem; unsure: boolean; review: boolean }[] = [];
      const decide = (
        entityOfItem: (i: InventoryItem) => PackEntity | undefined,
        review: boolean,
      ) => {
        for (const item of inventory.items) {
          const entity = entityOfItem(item);
          if (entity === undefined || !inScope(rule, entity, item)) continue;
          const decided = decide1(rule, entity, item);
          if (decided !== undefined) fired.push({ item, unsure: decided, review });
        }
      };
      // undefined: the rule does not fire; else whether it fires only on the strict reading.
      const decide1 = (
        r: CompiledRule,
        entity: PackEntity,
        item: InventoryItem,
      ): boolean | undefined => {
        const opens = (d: number) =>
          r.after !== undefined ? d > r.after : r.from !== undefined && d >= r.from;
        const surelyOpens = (d: number) =>
          r.after !== undefined
            ? d > (r.afterLatest ?? r.after)
            : r.from !== undefined && d >= (r.fromLatest ?? r.from);
        switch (r.kind) {
          case 'exclude':
          case 'remove': {
            let start = r.effective;
            let sure = r.effectiveLatest ?? r.effective;
            if (r.byOperatorField !== undefined) {
              const by = reimbursementDeadline(inventory.operator);
              if (by === undefined) return undefined;
              start = Math.max(start ?? -Infinity, by + 1);
              sure = Math.max(sure ?? -Infinity, by + 1);
            } else if (r.by !== undefined) {
              start = Math.max(start ?? -Infinity, r.by + 1);
              sure = Math.max(sure ?? -Infinity, (r.byLatest ?? r.by) + 1);
            }
            if (start === undefined || T < start) return undefined;
            const d = domainAt(item, T);
            return isActive(item, T) && d !== undefined && r.domains.has(d)
              ? T < (sure ?? start)
              : undefined;
          }
          case 'authorisation': {
            if (r.effective !== undefined && T < r.effective) return undefined;
            const d = domainAt(item, T);
            if (!isActive(item, T) || d === undefined || !r.domains.has(d)) return undefined;
            const held = item.authorisations.some(
              (a) => r.schemes?.has(a.scheme) === true && authorisationValid(a, T),
            );
            return held ? undefined : r.effectiveLatest !== undefined && T < r.effectiveLatest;
          }
          case 'no_new_install': {
            const installed =
              item.installed ?? item.domains.find((s) => Number.isFinite(s.from))?.from;
            if (installed === undefined) return undefined;
            const entries: number[] = [];
            const first = domainAt(item, installed);
            if (first !== undefined && r.domains.has(first)) entries.push(installed);
            item.domains.forEach((span, k) => {
              const before = k === 0 ? undefined : item.domains[k - 1]?.domain;
              if (span.from <= installed) return;
              if (item.removed !== undefined && span.from >= item.removed) return;
              if ((before === undefined || !r.domains.has(before)) && r.domains.has(span.domain))
                entries.push(span.from);
            });
            const entry = entries.find((e) => e <= T && opens(e));
            return entry === undefined ? undefined : !surelyOpens(entry);
          }
          case 'no_new_procurement': {
            const bought = item.procured;
            if (bought === undefined || bought > T || !opens(bought)) return undefined;
            const d = domainAt(item, bought) ?? item.domains[0]?.domain;
            return d !== undefined && r.domains.has(d) ? !surelyOpens(bought) : undefined;
          }
          case 'no_event': {
            const offset = (entity.listedOn ?? Infinity) + (r.fromOffsetDays ?? 0);
            const from = r.from ?? offset;
            const sureFrom = r.fromLatest ?? r.from ?? offset;
            const inWindow = item.events.filter((e) => {
              const d = domainAt(item, e.date);
              return (
                e.type === r.eventType &&
                e.date >= from &&
                e.date <= T &&
                (!r.domainsExplicit || (d !== undefined && r.domains.has(d)))
              );
            });
            if (inWindow.length === 0) return undefined;
            return !inWindow.some((e) => e.date >= sureFrom);
          }
          case 'cap':
          case 'diversity':
            return undefined;
        }
      };

      if (rule.kind === 'cap' || rule.kind === 'diversity') {
        if (rule.kind === 'cap' && !(rule.by !== undefined && T > rule.by)) continue;
        if (rule.kind === 'diversity' && rule.effective !== undefined && T < rule.effective)
          continue;
        unsureRule =
          (rule.byLatest !== undefined && T <= rule.byLatest) ||
          (rule.effectiveLatest !== undefined && T < rule.effectiveLatest);
        const population = inventory.items.filter(
          (item) =>
            isActive(item, T) &&
            item.kind === 'equipment' &&
            domainAt(item, T) !== undefined &&
            rule.domains.has(domainAt(item, T) ?? 'lab') &&
            overlaps(item, rule) &&
            (rule.where.item === undefined || rule.where.item(item, site(item))),
        );
        if (rule.kind === 'diversity') {
          const vendors = new Set(population.map((i) => vendorIdentity(i.vendor)));
          if (population.length > 0 && vendors.size < (rule.minVendors ?? 2))
            for (const item of population) fired.push({ item, unsure: unsureRule, review: false });
        } else {
          const own = population.filter((item) => {
            const entity = entityOf(item);
            return entity !== undefined && inScope(rule, entity, item);
          });
          const sum = (list: InventoryItem[], measure: Measure): number =>
            measure === 'sites'
              ? new Set(list.filter((i) => site(i) !== undefined).map((i) => i.site)).size
              : list.reduce(
                  (n, i) =>
                    n +
                    (measure === 'traffic'
                      ? Math.round((i.trafficGbPerDay ?? 0) * 1000)
                      : (i.premisesServed ?? 0)),
                  0,
                );
          const measures: Partial<Record<Measure, MeasureResult>> = {};
          for (const measure of rule.measures ?? []) {
            const totals = { numerator: sum(own, measure), denominator: sum(population, measure) };
            if (totals.denominator > 0)
              measures[measure] = measureResult(
                measure,
                totals,
                rule.capNumerator ?? 0,
                rule.capDenominator ?? 1,
              );
          }
          if (Object.keys(measures).length === 0) continue;
          doc.measurements.push({ rule: rule.id, measures });
          if (Object.values(measures).some((m) => m.breach))
            for (const item of own) fired.push({ item, unsure: unsureRule, review: false });
        }
      } else if (rule.allVendors) {
        const any: PackEntity = { id: '*' };
        for (const item of inventory.items) {
          const decided = inScope(rule, any, item) ? decide1(rule, any, item) : undefined;
          if (decided !== undefined) fired.push({ item, unsure: decided, review: false });
        }
      } else {
        decide(entityOf, false);
        if (rule.matchComponents) decide(componentEntityOf, true);
      }

      // An exemption applies for sure, or only on the lenient reading of its end (unsure).
      const exemptionState = (e: (typeof pack.exemptions)[number]): 'sure' | 'unsure' | 'none' => {
        const operator = inventory.operator;
        if (e.where.operator !== undefined && !e.where.operator(operator)) return 'none';
        let settled = false;
        if (e.operatorHolds !== undefined) {
          const held = (operator.authorisations ?? []).filter(
            (a) => a.scheme === e.operatorHolds && authorisationValid(a, T),
          );
          if (held.length === 0) return 'none';
          settled = held.every((a) => a.expires !== undefined);
        }
        if (e.until === undefined) return 'sure';
        if (T > (e.untilLatest ?? e.until)) return 'none';
        return T <= e.until || settled ? 'sure' : 'unsure';
      };
      const exemptions = pack.exemptions
        .filter((e) => e.rules.has(rule.id))
        .map((e) => ({ e, state: exemptionState(e) }))
        .filter(({ state }) => state !== 'none');
      const exempt = new Map<string, InventoryItem[]>();
      let unsureExemption = false;
      const kept = fired.filter(({ item }) => {
        const matching = exemptions.filter(
          ({ e }) => e.where.item === undefined || e.where.item(item, site(item)),
        );
        const by = matching.find(({ state }) => state === 'sure')?.e;
        if (by === undefined) {
          if (matching.length > 0) unsureExemption = true;
          return true;
        }
        exempt.set(by.id, [...(exempt.get(by.id) ?? []), item]);
        return false;
      });
      const unverified =
        rule.unverified !== undefined || unsureExemption || kept.some(({ unsure }) => unsure);
      for (const review of [false, true]) {
        const items = kept.filter((f) => f.review === review).map((f) => f.item);
        if (items.length === 0) continue;
        doc.findings.push({
          rule: rule.id,
          status: review ? 'review' : rule.status,
          items: sortIds(items),
          ...(unverified ? { unverified: true as const } : {}),
        });
      }
      for (const e of pack.exemptions) {
        const items = exempt.get(e.id);
        if (items !== undefined)
          doc.exempt.push({ rule: rule.id, exemption: e.id, items: sortIds(items) });
      }
    }
  }
  return { ...doc, pending };
}
