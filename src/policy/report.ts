/**
 * What `nospy policy` prints: the exact JSON document of a check, and readable reports of a
 * check, a plan, the shipped packs and the vendor shares.
 */
import { formatDay } from '../inventory/day.js';
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

export function renderCheck(evaluation: Evaluation, packs: readonly CompiledPack[]): string {
  const lines: string[] = [];
  const date = formatDay(evaluation.date);
  for (const pack of packs) {
    lines.push(`${pack.id} — ${pack.title}`, `  on ${date}:`);
    const findings = evaluation.findings.filter((f) => f.pack === pack.id);
    const measurements = evaluation.measurements.filter((m) => m.pack === pack.id);
    const exempt = evaluation.exempt.filter((e) => e.pack === pack.id);
    if (findings.length === 0) lines.push('  no findings');
    for (const f of findings) {
      const flag = f.unverified === true ? ' (unverified)' : '';
      lines.push(`  ${f.status.toUpperCase()} ${f.rule}${flag}: ${f.title ?? ''}`);
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
  lines.push(`${evaluation.findings.length} finding(s), ${violations} violation(s)`);
  return lines.join('\n');
}

export function renderPlan(plan: RemediationPlan): string {
  const lines = [`Remediation plan from ${formatDay(plan.from)}`];
  if (plan.removals.length === 0 && plan.caps.length === 0) lines.push('  nothing must leave');
  for (const step of plan.removals) {
    const when = step.overdue ? `${formatDay(step.by)} (OVERDUE)` : formatDay(step.by);
    const flag = step.unverified === true ? ' (unverified)' : '';
    lines.push(
      `  by ${when}  ${step.vendor}  ${step.rule} [${step.status}]${flag}: ${step.items.length} item(s): ${listIds(step.items)}`,
    );
  }
  for (const step of plan.caps) {
    const when = step.overdue ? `${formatDay(step.by)} (OVERDUE)` : formatDay(step.by);
    const parts = Object.entries(step.excess).map(
      ([measure, value]) => `${String(value)} ${measure}`,
    );
    lines.push(`  by ${when}  cap ${step.rule} [${step.status}]: reduce by ${parts.join(', ')}`);
  }
  return lines.join('\n');
}

export function renderPacks(packs: readonly CompiledPack[]): string {
  const lines: string[] = [];
  for (const pack of packs) {
    lines.push(`${pack.id}  [${pack.jurisdiction}]  ${pack.title}`);
    lines.push(`  binding: ${pack.binding}`);
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
