/**
 * The check report: every rule over one joined view of the evidence, findings sorted and
 * counted. `checkReport` is pure: the same evidence and `now` give the same report.
 */
import { EvidenceIndex } from './evidence-index.js';
import { iso } from './normalise.js';
import type { CheckEvidence } from './evidence.js';
import {
  FINDING_KINDS,
  SEVERITIES,
  type Finding,
  type FindingKind,
  type Severity,
} from './finding.js';
import { behaviourFindings } from './rules/behaviour.js';
import { canaryLapses } from './rules/canary.js';
import { firmwareBackdoorIndicators } from './rules/firmware-backdoor.js';
import { firmwareUnscanned } from './rules/firmware-unscanned.js';
import { firmwareNotLogged } from './rules/firmware-logged.js';
import { firmwareSuperseded } from './rules/firmware-superseded.js';
import { logInconsistencies } from './rules/log-consistency.js';
import { policyViolations } from './rules/policy.js';
import { releaseReproduction } from './rules/release-reproduced.js';
import { vulnerableComponents } from './rules/vulnerable.js';

export interface ReportSummary {
  readonly total: number;
  readonly byKind: Readonly<Record<FindingKind, number>>;
  readonly bySeverity: Readonly<Record<Severity, number>>;
}

/** What `nospy check --json` prints and `GET /v1/findings` serves. */
export interface Report {
  /** The evaluation instant (ISO 8601 UTC). */
  readonly evaluatedAt: string;
  /** The checkpoint the log's statements were proved against, when a log was read. */
  readonly checkpoint?: string;
  /** How much evidence was read. */
  readonly inputs: {
    readonly statements: number;
    readonly devices: number;
    readonly flowRecords: number;
    readonly images: number;
    readonly vulnerabilities: number;
  };
  readonly summary: ReportSummary;
  readonly findings: readonly Finding[];
}

export interface CheckOptions {
  /** Evaluation time, ms since the epoch or a Date. */
  readonly now: number | Date;
  /** Only findings last seen at or after this instant. */
  readonly since?: number | Date;
}

const SEVERITY_RANK = Object.fromEntries(SEVERITIES.map((s, i) => [s, i])) as Record<
  Severity,
  number
>;
const KIND_RANK = Object.fromEntries(FINDING_KINDS.map((k, i) => [k, i])) as Record<
  FindingKind,
  number
>;

/** Counts of findings by kind and by severity (every kind and severity present, maybe 0). */
export function summarise(findings: readonly Finding[]): ReportSummary {
  const byKind = Object.fromEntries(FINDING_KINDS.map((k) => [k, 0])) as Record<
    FindingKind,
    number
  >;
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of findings) {
    byKind[f.kind]++;
    bySeverity[f.severity]++;
  }
  return { total: findings.length, byKind, bySeverity };
}

function ms(t: number | Date): number {
  return typeof t === 'number' ? t : t.getTime();
}

/** Joins the evidence into one report of findings (pure). */
export function checkReport(evidence: CheckEvidence, options: CheckOptions): Report {
  const now = ms(options.now);
  const ctx = new EvidenceIndex(evidence, now);
  const all = [
    ...firmwareNotLogged(ctx),
    ...firmwareSuperseded(ctx),
    ...firmwareBackdoorIndicators(ctx),
    ...firmwareUnscanned(ctx),
    ...releaseReproduction(ctx),
    ...vulnerableComponents(ctx),
    ...behaviourFindings(ctx),
    ...canaryLapses(ctx),
    ...policyViolations(ctx),
    ...logInconsistencies(ctx),
  ];
  const since = options.since === undefined ? undefined : iso(ms(options.since));
  const unique = new Map<string, Finding>();
  for (const f of all) {
    if (since !== undefined && f.lastSeen < since) continue;
    if (!unique.has(f.id)) unique.set(f.id, f);
  }
  const findings = [...unique.values()].sort(
    (a, b) =>
      SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
      KIND_RANK[a.kind] - KIND_RANK[b.kind] ||
      a.id.localeCompare(b.id),
  );
  return {
    evaluatedAt: iso(now),
    ...(evidence.checkpoint === undefined ? {} : { checkpoint: evidence.checkpoint }),
    inputs: {
      statements: evidence.statements.length,
      devices: evidence.inventory?.length ?? 0,
      flowRecords: evidence.flows?.records.length ?? 0,
      images: evidence.firmware?.length ?? 0,
      vulnerabilities: evidence.vulnerabilities?.length ?? 0,
    },
    summary: summarise(findings),
    findings,
  };
}
