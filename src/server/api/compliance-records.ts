/**
 * Compliance per rule pack as the read API reports it: each vendor's share of a capped domain
 * against the cap, the pack's deadlines still ahead, and the remediation plan (src/policy's
 * evaluator, planner and share table). Pure.
 */
import { formatDay, type Day } from '../../inventory/day.js';
import { bindPacks } from '../../policy/bind.js';
import type { ComplianceInputs } from '../../policy/from-files.js';
import type { CompiledPack, CompiledRule } from '../../policy/model.js';
import type { ShareRow } from '../../policy/shares.js';
import type { DomainShares, PackCompliance } from './api-snapshot.js';

const SHARE_OF = {
  sites: 'siteShare',
  traffic: 'trafficShare',
  premises: 'premisesShare',
} as const satisfies Record<string, keyof ShareRow>;

/** One entry per measure of each enabled cap: every vendor's share of the capped population. */
function capShares(
  rule: CompiledRule,
  rows: readonly ShareRow[],
  measured: ComplianceInputs['evaluation']['measurements'][number] | undefined,
): DomainShares[] {
  const domain = [...rule.domains][0] ?? '';
  const technology = rule.technology === undefined ? undefined : [...rule.technology][0];
  const population = rows.filter(
    (r) => r.domain === domain && (technology === undefined || r.technology === technology),
  );
  const capped = new Set(rule.entities);
  const cap = (rule.capNumerator ?? 0) / (rule.capDenominator ?? 1);
  if (population.length === 0) return [];
  return (rule.measures ?? []).map((measure) => {
    const shares = population
      .map((r) => ({ vendor: r.vendor, share: r[SHARE_OF[measure]], capped: capped.has(r.vendor) }))
      .sort((a, b) => b.share - a.share || (a.vendor < b.vendor ? -1 : 1));
    // The cap applies to the restricted entities together; with several, show their sum as measured.
    const joint = measured?.measures[measure];
    const restricted = shares.filter((s) => s.capped);
    if (joint !== undefined && restricted.length > 1) {
      shares.unshift({
        vendor: restricted.map((s) => s.vendor).join(' + '),
        share: joint.share,
        capped: true,
      });
    }
    return {
      domain,
      rule: rule.id,
      ...(technology === undefined ? {} : { technology }),
      measure,
      cap,
      shares,
    };
  });
}

/** The dates of a rule's obligations that fall after `day`. */
function datesAhead(rule: CompiledRule, day: Day): { date: Day; what: string }[] {
  // A proposal's dates are marked as such: never an obligation of law in force.
  const name = `${rule.title ?? rule.id}${rule.status === 'proposed' ? ' (proposed law, not in force)' : ''}`;
  const out: { date: Day; what: string }[] = [];
  if (rule.by !== undefined && rule.by >= day)
    out.push({
      date: rule.by,
      what: `${name}: ${rule.kind === 'cap' ? 'the cap applies after this day' : 'last day allowed'}`,
    });
  if (rule.effective !== undefined && rule.effective > day)
    out.push({ date: rule.effective, what: `${name}: in force` });
  const opens = rule.from ?? (rule.after === undefined ? undefined : rule.after + 1);
  if (opens !== undefined && opens > day) out.push({ date: opens, what: `${name}: in force` });
  return out;
}

function excessText(excess: Readonly<Record<string, number | undefined>>): string {
  const unit: Readonly<Record<string, string>> = {
    sites: 'sites',
    traffic: 'GB/day of traffic',
    premises: 'premises',
  };
  return Object.entries(excess)
    .filter((e): e is [string, number] => e[1] !== undefined)
    .map(([measure, n]) => `${String(Math.round(n * 1000) / 1000)} ${unit[measure] ?? measure}`)
    .join(' and ');
}

function packCompliance(pack: CompiledPack, inputs: ComplianceInputs): PackCompliance {
  const day = inputs.evaluation.date;
  // Rules whose dates count from a parameter have dates only when it was assumed.
  const bound = bindPacks([pack], inputs.evaluation.assumptions).packs[0] ?? pack;
  const rules = bound.rules.filter((r) => r.enabled);
  const domains = rules
    .filter((r) => r.kind === 'cap')
    .flatMap((r) =>
      capShares(
        r,
        inputs.shares,
        inputs.evaluation.measurements.find((m) => m.pack === pack.id && m.rule === r.id),
      ),
    );
  const deadlines = rules
    .flatMap((r) => datesAhead(r, day).map((d) => ({ ...d, rule: r.id })))
    .sort((a, b) => a.date - b.date || (a.rule < b.rule ? -1 : 1))
    .map((d) => ({ date: formatDay(d.date), rule: d.rule, what: d.what }));
  const removals = inputs.plan.removals
    .filter((s) => s.pack === pack.id)
    .map((s) => ({
      by: formatDay(s.by),
      step: `remove ${String(s.items.length)} item${s.items.length === 1 ? '' : 's'} of ${s.vendor} (${s.title ?? s.rule}): ${s.items.join(', ')}`,
      ...(s.items.length === 1 && s.items[0] !== undefined ? { device: s.items[0] } : {}),
      rule: s.rule,
      vendor: s.vendor,
      items: s.items,
      overdue: s.overdue,
    }));
  const caps = inputs.plan.caps
    .filter((s) => s.pack === pack.id)
    .map((s) => ({
      by: formatDay(s.by),
      step: `bring ${s.title ?? s.rule} under its cap: replace ${excessText(s.excess)}`,
      rule: s.rule,
      overdue: s.overdue,
    }));
  const pending = inputs.evaluation.pending
    .filter((p) => p.pack === pack.id)
    .map((p) => ({
      rule: p.rule,
      waitsFor: p.waitsFor.map((w) => w.parameter),
      what: `${p.title ?? p.rule}${p.status === 'proposed' ? ' (proposed law)' : ''}: not yet applicable, waits for ${p.waitsFor.map((w) => w.says).join('; ')}`,
    }));
  return {
    pack: pack.id,
    title: pack.title,
    ...(pack.status === 'proposed' ? { proposed: true } : {}),
    pending,
    domains,
    deadlines,
    plan: [...removals, ...caps].sort((a, b) => (a.by < b.by ? -1 : a.by > b.by ? 1 : 0)),
  };
}

/** Every configured pack's compliance on the evaluation day. */
export function complianceRecords(inputs: ComplianceInputs): PackCompliance[] {
  return inputs.packs.map((pack) => packCompliance(pack, inputs));
}
