/**
 * The evaluator (pure: no I/O, the date is handed in). For an inventory and a day it returns,
 * per pack, the findings of every rule in force, a measurement of every cap in force, and the
 * items an exemption takes out of a finding. Semantics: nospy policy reference §5 and the RULE
 * KINDS of policy-packs.yaml -- point-in-time state at T, deadline days compliant, a removed item
 * counted from its first day out of service, domain moves as installs, integer share maths.
 *
 * Speed: the inventory is prepared once (prepare/prepare-inventory.ts) and shared by every pack.
 * Each rule gathers the items of its entities in its domains (scope.ts), then one loop per rule
 * kind tests the typed columns first (in service? domain? kind? technology?) and reads an item
 * object only for the rare qualifiers (purposes, `where`, domain histories, events).
 */
import type { Day } from '../inventory/day.js';
import { bindPacks, NO_ASSUMPTIONS, type Assumptions } from './bind.js';
import {
  RuleHits,
  type Evaluation,
  type ExemptItems,
  type Finding,
  type Measurement,
  type Sink,
} from './findings.js';
import type { CompiledPack, CompiledRule } from './model.js';
import { type PreparedInventory } from './prepared-inventory.js';
import { visitEveryVendorAuthorisation, visitRule } from './rule-visitors.js';
import { evaluateShareRule } from './share-rules.js';
import {
  gatherCandidates,
  operatorInScope,
  ruleScope,
  stateRuleStart,
  stateRuleSureStart,
} from './scope.js';

export type { Evaluation, ExemptItems, Finding, Measurement, VendorEvidence } from './findings.js';
export type { PendingRule } from './bind.js';

/**
 * Evaluates every enabled rule of `packs` on `date`. Rules whose dates count from a parameter are
 * evaluated with the `assumptions` given for them, and listed as pending without.
 */
export function evaluatePacks(
  prepared: PreparedInventory,
  packs: readonly CompiledPack[],
  date: Day,
  assumptions: Assumptions = NO_ASSUMPTIONS,
): Evaluation {
  const bound = bindPacks(packs, assumptions);
  const out = {
    findings: [] as Finding[],
    measurements: [] as Measurement[],
    exempt: [] as ExemptItems[],
  };
  for (const pack of bound.packs) {
    for (const rule of pack.rules) {
      if (rule.enabled) evaluateRule(prepared, pack, rule, date, out);
    }
  }
  return { date, ...out, pending: bound.pending, assumptions };
}

function evaluateRule(
  prepared: PreparedInventory,
  pack: CompiledPack,
  rule: CompiledRule,
  T: Day,
  sink: Sink,
): void {
  if (!operatorInScope(rule, prepared.inventory.operator)) return;
  if (rule.kind === 'cap' || rule.kind === 'diversity') {
    evaluateShareRule(prepared, pack, rule, T, sink);
    return;
  }
  const hits = new RuleHits(prepared, pack, rule, T);
  if (rule.kind === 'exclude' || rule.kind === 'remove') {
    // State at T: in force from `start`, item in service and in scope that day.
    const operator = prepared.inventory.operator;
    const start = stateRuleStart(rule, operator);
    if (start === undefined || T < start) return;
    if (T < (stateRuleSureStart(rule, operator) ?? start)) hits.markUnverified();
  }
  if (rule.kind === 'authorisation') {
    if (rule.effective !== undefined && T < rule.effective) return;
    if (rule.effectiveLatest !== undefined && T < rule.effectiveLatest) hits.markUnverified();
  }
  const scope = ruleScope(prepared, pack, rule);
  if (rule.kind === 'authorisation' && scope.allVendors) {
    // Every vendor: one pass over the columns, no candidate list.
    visitEveryVendorAuthorisation(prepared, scope, rule, T, hits);
    hits.flush(sink);
    return;
  }
  const source = rule.kind === 'no_event' ? 'events' : 'domains';
  visitRule(prepared, scope, rule, T, hits, gatherCandidates(prepared, scope, source), false);
  if (rule.matchComponents)
    visitRule(
      prepared,
      scope,
      rule,
      T,
      hits,
      gatherCandidates(prepared, scope, 'components'),
      true,
    );
  hits.flush(sink);
}
