/**
 * What `nospy policy` prints: the exact JSON document of a check, and readable reports of a
 * check, a plan, the shipped packs and the vendor shares.
 */
import { formatDay, type Day } from '../inventory/day.js';
import type { PendingRule } from './bind.js';
import type { MeasureResult } from './cap.js';
import type { Evaluation } from './evaluate.js';
import type { CompiledPack } from './model.js';
import type { RemediationPlan } from './plan.js';
import type { Measure } from './schema.js';
import type { ShareRow } from './shares.js';

/** The `--json` document of `nospy policy check`: findings, measurements, exempt. */
export interface CheckDocument {
  readonly findings: {
    rule: string;
    status: string;
    items: readonly string[];
    unverified?: true;
  }[];
  readonly measurements: { rule: string; measures: Partial<Record<Measure, MeasureResult>> }[];
  readonly exempt: { rule: string; exemption: string; items: readonly string[] }[];
  /** Rules not yet applicable: their dates count from a parameter nobody assumed. */
  readonly pending: { rule: string; status: string; waits_for: readonly string[] }[];
  /** The parameter values assumed (`--assume`): the document is then a scenario. */
  readonly assumptions?: Readonly<Record<string, string>>;
}

/** Assumed parameters as the documents print them. */
export function assumptionsText(assumptions: ReadonlyMap<string, Day>): Record<string, string> {
  return Object.fromEntries([...assumptions].map(([name, day]) => [name, formatDay(day)]));
}

/** The `pending` entries of a document. */
export function pendingDocument(pending: readonly PendingRule[]): CheckDocument['pending'] {
  return pending.map((p) => ({
    rule: p.rule,
    status: p.status,
    waits_for: p.waitsFor.map((w) => w.parameter),
  }));
}

export function checkDocument(evaluation: Evaluation): CheckDocument {
  return {
    findings: evaluation.findings.map((f) => ({
      rule: f.rule,
      status: f.status,
      items: f.items,
      ...(f.unverified === true ? { unverified: true as const } : {}),
    })),
    measurements: evaluation.measurements.map((m) => ({ rule: m.rule, measures: m.measures })),
    exempt: evaluation.exempt.map((e) => ({
      rule: e.rule,
      exemption: e.exemption,
      items: e.items,
    })),
    pending: pendingDocument(evaluation.pending),
    ...(evaluation.assumptions.size === 0
      ? {}
      : { assumptions: assumptionsText(evaluation.assumptions) }),
  };
}

/** Whether any finding is a violation (the CLI then exits 1). */
export function hasViolation(evaluation: Evaluation): boolean {
  return evaluation.findings.some((f) => f.status === 'violation');
}

const MAX_LISTED = 20;

function listIds(ids: readonly string[]): string {
  const shown = ids.slice(0, MAX_LISTED).join(', ');
  return ids.length > MAX_LISTED ? `${shown}, … (${ids.length} items)` : shown;
}

function percent(share: number): string {
  return `${(share * 100).toFixed(4).replace(/\.?0+$/, '')}%`;
}

/** How a pack's header names a proposal: never as law in force. */
function packHeading(pack: CompiledPack): string {
  const proposal =
    pack.status === 'proposed' ? ' [PROPOSED LAW — not in force; findings are not violations]' : '';
  return `${pack.id} — ${pack.title}${proposal}`;
}

/** A finding's status word: a proposed rule's finding says what the proposal would require. */
function statusWord(status: string): string {
  return status === 'proposed' ? 'PROPOSED (would breach the proposal)' : status.toUpperCase();
}

function pendingLines(pending: readonly PendingRule[]): string[] {
  return pending.map(
    (p) =>
      `  NOT YET APPLICABLE ${p.rule}${p.status === 'proposed' ? ' (proposed law)' : ''}: ${p.title ?? ''} — waits for ${p.waitsFor
        .map((w) => `${w.parameter} (${w.says})`)
        .join(', ')}; assume a date with --assume ${p.waitsFor[0]?.parameter ?? 'name'}=YYYY-MM-DD`,
  );
}

export function renderCheck(evaluation: Evaluation, packs: readonly CompiledPack[]): string {
  const lines: string[] = [];
  const date = formatDay(evaluation.date);
  if (evaluation.assumptions.size > 0) {
    const assumed = Object.entries(assumptionsText(evaluation.assumptions))
      .map(([name, day]) => `${name}=${day}`)
      .join(', ');
    lines.push(`Scenario: assuming ${assumed}`, '');
  }
  for (const pack of packs) {
    lines.push(packHeading(pack), `  on ${date}:`);
    const findings = evaluation.findings.filter((f) => f.pack === pack.id);
    const measurements = evaluation.measurements.filter((m) => m.pack === pack.id);
    const exempt = evaluation.exempt.filter((e) => e.pack === pack.id);
    const pending = evaluation.pending.filter((p) => p.pack === pack.id);
    if (findings.length === 0) lines.push('  no findings');
    lines.push(...pendingLines(pending));
    for (const f of findings) {
      const flag = f.unverified === true ? ' (unverified)' : '';
      lines.push(`  ${statusWord(f.status)} ${f.rule}${flag}: ${f.title ?? ''}`);
      lines.push(`    items: ${listIds(f.items)}`);
      for (const v of f.vendors) {
        const how =
          v.role === 'category'
            ? `category ${v.entity}`
            : `${v.entity} via ${v.role} name "${v.name}"`;
        lines.push(
          `    ${v.via === 'component' ? 'component ' : ''}vendor "${v.recorded}" → ${how} (${v.items})`,
        );
      }
    }
    for (const m of measurements) {
      for (const [measure, r] of Object.entries(m.measures) as [Measure, MeasureResult][]) {
        lines.push(
          `  cap ${m.rule} ${measure}: ${r.numerator} / ${r.denominator} = ${percent(r.share)}${r.breach ? ' — BREACH' : ' — within the cap'}`,
        );
      }
    }
    for (const e of exempt)
      lines.push(`  exempt from ${e.rule} under ${e.exemption}: ${listIds(e.items)}`);
    lines.push('');
  }
  const violations = evaluation.findings.filter((f) => f.status === 'violation').length;
  const proposed = evaluation.findings.filter((f) => f.status === 'proposed').length;
  lines.push(
    `${evaluation.findings.length} finding(s), ${violations} violation(s) of law in force${proposed === 0 ? '' : `, ${proposed} under proposed law (not violations)`}${evaluation.pending.length === 0 ? '' : `, ${evaluation.pending.length} rule(s) not yet applicable`}`,
  );
  return lines.join('\n');
}

export function renderPlan(plan: RemediationPlan): string {
  const lines = [`Remediation plan from ${formatDay(plan.from)}`];
  if (plan.assumptions.size > 0) {
    const assumed = Object.entries(assumptionsText(plan.assumptions))
      .map(([name, day]) => `${name}=${day}`)
      .join(', ');
    lines.push(`  scenario: assuming ${assumed}`);
  }
  if (plan.removals.length === 0 && plan.caps.length === 0) lines.push('  nothing must leave');
  lines.push(...pendingLines(plan.pending));
  // Removals and caps interleaved by deadline.
  const steps = [
    ...plan.removals.map((step) => ({ by: step.by, text: removalLine(step) })),
    ...plan.caps.map((step) => ({ by: step.by, text: capLine(step) })),
  ].sort((a, b) => a.by - b.by);
  for (const step of steps) lines.push(step.text);
  return lines.join('\n');
}

function when(by: number, overdue: boolean, latest: number | undefined): string {
  const day =
    latest === undefined ? formatDay(by) : `${formatDay(by)} (or as late as ${formatDay(latest)})`;
  return overdue ? `${day} (OVERDUE)` : day;
}

function removalLine(step: RemediationPlan['removals'][number]): string {
  const flag = step.unverified === true ? ' (unverified)' : '';
  return `  by ${when(step.by, step.overdue, step.latest)}  ${step.vendor}  ${step.rule} [${step.status}]${flag}: ${step.items.length} item(s): ${listIds(step.items)}`;
}

function capLine(step: RemediationPlan['caps'][number]): string {
  const parts = Object.entries(step.excess).map(
    ([measure, value]) => `${String(value)} ${measure}`,
  );
  return `  by ${when(step.by, step.overdue, step.latest)}  cap ${step.rule} [${step.status}]: reduce by ${parts.join(', ')}`;
}

export function renderPacks(packs: readonly CompiledPack[]): string {
  const lines: string[] = [];
  for (const pack of packs) {
    lines.push(`${pack.id}  [${pack.jurisdiction}]  ${pack.title}`);
    lines.push(
      `  binding: ${pack.binding}${pack.status === 'proposed' ? ' (PROPOSED, not in force)' : ''}`,
    );
    for (const [name, parameter] of Object.entries(pack.parameters))
      lines.push(`  parameter ${name} (date): ${parameter.says}`);
    for (const [id, source] of Object.entries(pack.sources))
      lines.push(`  source ${id}: ${source.url}`);
    lines.push('');
  }
  return lines.join('\n');
}

export function renderShares(rows: readonly ShareRow[]): string {
  const lines = [
    'domain\ttechnology\tvendor\titems\titem share\tsites\tsite share\ttraffic GB/d\ttraffic share\tpremises\tpremises share',
  ];
  for (const r of rows) {
    lines.push(
      [
        r.domain,
        r.technology,
        r.vendor,
        r.items,
        percent(r.itemShare),
        r.sites,
        percent(r.siteShare),
        r.traffic,
        percent(r.trafficShare),
        r.premises,
        percent(r.premisesShare),
      ].join('\t'),
    );
  }
  return lines.join('\n');
}
