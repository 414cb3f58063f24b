/**
 * vulnerable-component: an advisory at or above the agreement's severity against a component of
 * a logged release, still unfixed (no later logged release of the vendor lists it as fixed) once
 * the clause `critical-vulns-fixed-within` window has passed since the advisory was published.
 */
import type { Finding, Severity } from '../finding.js';
import type { EvidenceIndex } from '../evidence-index.js';
import { makeFinding, statementEvidence } from '../make-finding.js';
import { DAY_MS, instant } from '../normalise.js';
import { sameVendor } from '../../inventory/vendor-identity.js';

const RANK: Record<string, number> = { critical: 4, high: 3, medium: 2, moderate: 2, low: 1 };

/** Whether an advisory rated `rating` is one the clause's `severity` and above covers. */
export function meetsClauseSeverity(rating: string | null, severity: string): boolean {
  return (RANK[(rating ?? '').toLowerCase()] ?? 0) >= (RANK[severity] ?? 5);
}

/**
 * When the clause's fix window ends (ms): `days` after the advisory was published, or after the
 * release when it came later. Before it the clause is pending, after it unfixed is broken.
 */
export function fixWindowEnd(published: string, releasedAt: string, days: number): number {
  return Math.max(instant(published), instant(releasedAt)) + days * DAY_MS;
}

/** Findings of kind `vulnerable-component`. */
export function vulnerableComponents(ctx: EvidenceIndex): Finding[] {
  const out: Finding[] = [];
  for (const v of ctx.evidence.vulnerabilities ?? []) {
    const releases = ctx.releasesNaming(v.release);
    const release = releases[0];
    if (release === undefined) continue;
    const vendor = release.statement.predicate.vendor;
    const promise = ctx.clauseOf(vendor, 'critical-vulns-fixed-within');
    if (promise === undefined) continue;
    const rating = (v.advisory.severity ?? '').toLowerCase();
    if (!meetsClauseSeverity(rating, promise.clause.severity)) continue;
    const due = fixWindowEnd(
      v.advisory.published,
      release.statement.predicate.releasedAt,
      promise.clause.days,
    );
    if (ctx.now <= due) continue;
    const ids = new Set([v.advisory.id, ...v.advisory.aliases]);
    const fixedBy = ctx.releases.find(
      (r) =>
        r.index > release.index &&
        sameVendor(r.statement.predicate.vendor, vendor) &&
        (r.statement.predicate.securityFix?.advisories ?? []).some((a) => ids.has(a)),
    );
    if (fixedBy !== undefined) continue;
    out.push(
      makeFinding({
        kind: 'vulnerable-component',
        severity: (RANK[rating] === 2 ? 'medium' : rating) as Severity,
        subject: { vendor, release: v.release },
        breaks: {
          type: 'clause',
          agreement: promise.agreement.index,
          clause: 'critical-vulns-fixed-within',
        },
        what: `${v.advisory.id}\u0000${v.component}\u0000${v.version}`,
        firstSeen: due,
        lastSeen: ctx.now,
        explanation: `${vendor} release ${release.statement.predicate.version} ships ${v.component} ${v.version} with ${rating} advisory ${v.advisory.id}, unfixed ${promise.clause.days} days after it was published.`,
        evidence: [
          {
            type: 'advisory',
            id: v.advisory.id,
            aliases: v.advisory.aliases,
            component: v.component,
            version: v.version,
            affected: v.affected,
            ...(v.fixed === undefined ? {} : { fixed: v.fixed }),
          },
          statementEvidence(release),
          statementEvidence(promise.agreement),
        ],
      }),
    );
  }
  return out;
}
