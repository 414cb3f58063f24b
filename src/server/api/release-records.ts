/**
 * Releases as the read API reports them: one record per logged release image, with its
 * reproducibility (docs/api.md): who attested what and when, with the files their diff reports
 * name, and whether the vendor's `release-reproduced` clause is kept. Pure: evidence and report
 * in, records out.
 */
import { vendorKey } from '../../inventory/vendor-identity.js';
import type { CheckEvidence } from '../../check/evidence.js';
import type { Report } from '../../check/report.js';
import { AGREEMENT_PREDICATE_TYPE } from '../../statements/predicates/agreement.js';
import { REBUILD_PREDICATE_TYPE } from '../../statements/predicates/rebuild.js';
import { RELEASE_PREDICATE_TYPE } from '../../statements/predicates/release.js';
import type { RebuildAttestationRecord, ReleaseRecord, Reproducibility } from './api-snapshot.js';

/** Differing entries listed per attestation (equivalence breakers first). */
const MAX_LISTED_FILES = 50;

interface Clause {
  readonly evaluators: number;
  readonly withinDays: number;
}

/** The `release-reproduced` clause of each vendor's latest agreement, by vendorKey. */
function clausesByVendor(evidence: CheckEvidence): Map<string, Clause> {
  const out = new Map<string, Clause>();
  for (const s of evidence.statements) {
    const st = s.statement;
    if (st.predicateType !== AGREEMENT_PREDICATE_TYPE) continue;
    const clause = st.predicate.clauses.find((c) => c.clause === 'release-reproduced');
    const key = vendorKey(st.predicate.parties.vendor.name);
    if (clause?.clause === 'release-reproduced')
      out.set(key, { evaluators: clause.evaluators, withinDays: clause.within_days });
    else out.delete(key);
  }
  return out;
}

function attestationsOf(evidence: CheckEvidence, hex: string): RebuildAttestationRecord[] {
  const releaseIndexes = new Set(
    evidence.statements
      .filter(
        (s) =>
          s.statement.predicateType === RELEASE_PREDICATE_TYPE &&
          s.statement.subject.some((x) => x.digest.sha256 === hex),
      )
      .map((s) => s.index),
  );
  const out: RebuildAttestationRecord[] = [];
  for (const s of evidence.statements) {
    const st = s.statement;
    if (st.predicateType !== REBUILD_PREDICATE_TYPE) continue;
    const p = st.predicate;
    if (p.release.digest.sha256 !== hex || !releaseIndexes.has(p.release.index)) continue;
    const reportHex = p.diffReport?.digest.sha256;
    const report =
      reportHex === undefined
        ? undefined
        : evidence.rebuildDiffs?.find((d) => d.sha256 === reportHex)?.report;
    const files =
      report === undefined
        ? undefined
        : [
            ...report.files.filter((f) => f.change !== 'metadata'),
            ...report.files.filter((f) => f.change === 'metadata'),
          ]
            .slice(0, MAX_LISTED_FILES)
            .map((f) => ({ path: f.path, change: f.change, classification: f.classification }));
    out.push({
      evaluator: p.evaluator,
      verdict: p.verdict,
      attestedAt: p.attestedAt,
      statement: s.index,
      produced: `sha256:${p.produced.digest.sha256}`,
      ...(reportHex === undefined ? {} : { diffReport: `sha256:${reportHex}` }),
      ...(files === undefined ? {} : { differences: files }),
    });
  }
  return out.sort((a, b) => Date.parse(a.attestedAt) - Date.parse(b.attestedAt));
}

function reproducibilityOf(
  evidence: CheckEvidence,
  report: Report,
  hex: string,
  clause: Clause | undefined,
): Reproducibility {
  const attestations = attestationsOf(evidence, hex);
  const finding = report.findings.find(
    (f) =>
      (f.kind === 'release-not-equivalent' || f.kind === 'release-not-reproduced') &&
      f.subject.release === `sha256:${hex}`,
  );
  const base = {
    ...(clause === undefined ? {} : { required: clause }),
    attestations,
  };
  if (finding !== undefined) {
    return {
      status: finding.kind === 'release-not-equivalent' ? 'not-equivalent' : 'not-reproduced',
      finding: finding.id,
      ...base,
    };
  }
  if (clause === undefined) return { status: 'not-required', ...base };
  const labs = new Set(
    attestations.filter((a) => a.verdict === 'equivalent').map((a) => a.evaluator),
  );
  return { status: labs.size >= clause.evaluators ? 'reproduced' : 'pending', ...base };
}

/**
 * Releases from the logged release statements: one per subject image. `loggedTimes` holds, by log
 * index, when the log integrated each statement (UTC ms), as far as the store knows.
 */
export function releaseRecords(
  evidence: CheckEvidence,
  report: Report,
  loggedTimes: ReadonlyMap<number, number> = new Map(),
): ReleaseRecord[] {
  const clauses = clausesByVendor(evidence);
  const releases: ReleaseRecord[] = [];
  for (const logged of evidence.statements) {
    const statement = logged.statement;
    if (statement.predicateType !== RELEASE_PREDICATE_TYPE) continue;
    const clause = clauses.get(vendorKey(statement.predicate.vendor));
    for (const subject of statement.subject) {
      releases.push({
        digest: `sha256:${subject.digest.sha256}`,
        vendor: statement.predicate.vendor,
        version: statement.predicate.version,
        index: logged.index,
        releasedAt: statement.predicate.releasedAt,
        ...loggedAtOf(loggedTimes, logged.index),
        sbom: {
          digest: `sha256:${statement.predicate.sbom.digest.sha256}`,
          format: statement.predicate.sbom.format,
        },
        mud: { digest: `sha256:${statement.predicate.mud.digest.sha256}` },
        reproducibility: reproducibilityOf(evidence, report, subject.digest.sha256, clause),
      });
    }
  }
  return releases;
}

function loggedAtOf(
  loggedTimes: ReadonlyMap<number, number>,
  index: number,
): { loggedAt?: string } {
  const at = loggedTimes.get(index);
  return at === undefined ? {} : { loggedAt: new Date(at).toISOString() };
}
