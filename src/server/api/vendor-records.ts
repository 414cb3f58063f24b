/**
 * Vendors as the read API reports them: one record per vendor, however the inventory, the
 * statements and the rule packs spell its name; its agreement with each clause's status; its
 * canary history. Pure: evidence and report in, records out.
 */
import { createHash } from 'node:crypto';
import { fixWindowEnd, meetsClauseSeverity } from '../../check/rules/vulnerable.js';
import { vendorKey } from '../../inventory/vendor-identity.js';
import type { CheckEvidence, LoggedStatement } from '../../check/evidence.js';
import type { Finding } from '../../check/finding.js';
import type { Report } from '../../check/report.js';
import {
  AGREEMENT_PREDICATE_TYPE,
  type AgreementPredicate,
} from '../../statements/predicates/agreement.js';
import { CANARY_PREDICATE_TYPE } from '../../statements/predicates/canary.js';
import { RELEASE_PREDICATE_TYPE } from '../../statements/predicates/release.js';
import type {
  AgreementRecord,
  CanaryEvent,
  ClauseRecord,
  ReleaseRecord,
  VendorRecord,
} from './api-snapshot.js';
import { canaryClause, reproductionPending } from './clause-windows.js';

/** What was checked beyond the log: decides which clauses are `not-checked`. */
export interface CheckedEvidence {
  /** Flows were judged against MUD files and grants. */
  readonly flows: boolean;
  /** SBOMs were matched against OSV advisories (`true`), or why not. */
  readonly vulnerabilities: true | string;
  /** An inventory or deployment statements say which image each device runs. */
  readonly deployments: boolean;
}

/** What a vendor's findings are matched by. */
export interface VendorNames {
  readonly id: string;
  readonly name: string;
  /** `vendorKey`s of every spelling. */
  readonly keys: ReadonlySet<string>;
}

/**
 * A URL-safe id for a vendor name ("Acme Networks" → `acme-networks`): path ids are letters,
 * digits and `._:@-`, and two spellings `vendorKey` joins give the same id. A name whose key
 * holds letters outside ASCII (华为技术有限公司, ООО «Ромашка») gets a digest of its key after
 * the ASCII slug, so two such vendors never share an id.
 */
export function vendorId(name: string): string {
  const key = vendorKey(name);
  const slug = name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 100);
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(key)) return slug === '' ? 'vendor' : slug;
  const digest = createHash('sha256').update(key).digest('hex').slice(0, 16);
  return `${slug === '' ? 'vendor' : slug}-${digest}`;
}

/** The vendor names of a finding's subject (policy findings join several with ", "). */
export function subjectVendors(finding: Finding): string[] {
  return finding.subject.vendor === undefined ? [] : finding.subject.vendor.split(', ');
}

type Agreement = LoggedStatement & {
  readonly statement: { readonly predicate: AgreementPredicate };
};

function agreementsOf(evidence: CheckEvidence): Agreement[] {
  return evidence.statements.filter(
    (s): s is Agreement => s.statement.predicateType === AGREEMENT_PREDICATE_TYPE,
  );
}

/**
 * Every vendor named by the inventory, the release and agreement statements, joined by
 * `vendorKey`; a rule-pack entity id (e.g. `huawei`) joins the vendor whose recorded name it
 * matched. The display name is the statements' spelling when there is one (the trust file's).
 */
export function vendorNames(evidence: CheckEvidence): VendorNames[] {
  const byKey = new Map<string, { name: string; keys: Set<string>; signed: boolean }>();
  const add = (name: string, signed: boolean): void => {
    const key = vendorKey(name);
    if (key === '') return;
    const known = byKey.get(key);
    if (known === undefined) byKey.set(key, { name, keys: new Set([key]), signed });
    else if (signed && !known.signed) {
      known.name = name;
      known.signed = true;
    }
  };
  for (const device of evidence.inventory ?? []) add(device.vendor, false);
  for (const s of evidence.statements) {
    const st = s.statement;
    if (st.predicateType === RELEASE_PREDICATE_TYPE) add(st.predicate.vendor, true);
    if (st.predicateType === AGREEMENT_PREDICATE_TYPE) add(st.predicate.parties.vendor.name, true);
  }
  for (const f of evidence.policy?.findings ?? []) {
    for (const v of f.vendors) {
      const known = byKey.get(vendorKey(v.recorded));
      known?.keys.add(vendorKey(v.entity));
    }
  }
  return [...byKey.values()]
    .map((v) => ({ id: vendorId(v.name), name: v.name, keys: v.keys }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The findings breaking one clause of one agreement. */
function breaking(report: Report, index: number, clause: string): string[] {
  return report.findings
    .filter(
      (f) =>
        f.breaks.type === 'clause' && f.breaks.agreement === index && f.breaks.clause === clause,
    )
    .map((f) => f.id);
}

/** Why a clause without findings is not judged, or how it is judged without a rule. */
function unchecked(
  clause: AgreementPredicate['clauses'][number],
  checked: CheckedEvidence,
  releases: readonly { readonly sbomFormat: string }[],
): Omit<ClauseRecord, 'id' | 'findings'> | undefined {
  switch (clause.clause) {
    case 'traffic-within-declared-mud':
    case 'remote-access-only-under-cosigned-grant':
      return checked.flows ? undefined : { status: 'not-checked', note: 'no flows were checked' };
    case 'critical-vulns-fixed-within':
      return checked.vulnerabilities === true
        ? undefined
        : { status: 'not-checked', note: checked.vulnerabilities };
    case 'firmware-logged-before-deployment':
      return checked.deployments
        ? undefined
        : { status: 'not-checked', note: 'no inventory or deployment statements' };
    case 'release-carries-sbom-and-mud': {
      // No engine rule: every logged release names an SBOM and a MUD file by digest (the release
      // predicate requires both), so only the SBOM format is left to compare.
      if (releases.length === 0) return { status: 'not-checked', note: 'no releases logged' };
      const formats = clause.sbomFormats;
      const off = releases.filter(
        (r) => formats !== undefined && !formats.some((f) => f === r.sbomFormat),
      );
      return off.length === 0
        ? { status: 'kept', note: 'every logged release names its SBOM and MUD file' }
        : {
            status: 'broken',
            note: `${String(off.length)} release(s) carry an SBOM in another format than ${(formats ?? []).join(', ')}`,
          };
    }
    case 'canary-every':
      return undefined;
    case 'release-reproduced':
      // Judged by the engine (release-not-reproduced, release-not-equivalent); nothing to judge
      // without a release.
      return releases.length === 0
        ? { status: 'not-checked', note: 'no releases logged' }
        : undefined;
  }
}

/**
 * `pending` for `critical-vulns-fixed-within` while an advisory it covers against one of the
 * vendor's releases is still within its fix window, and no later release names it fixed.
 */
function pending(
  evidence: CheckEvidence,
  report: Report,
  vendor: VendorNames,
  clause: AgreementPredicate['clauses'][number],
): Omit<ClauseRecord, 'id' | 'findings'> | undefined {
  if (clause.clause !== 'critical-vulns-fixed-within') return undefined;
  const now = Date.parse(report.evaluatedAt);
  const releases = evidence.statements.flatMap((s) =>
    s.statement.predicateType === RELEASE_PREDICATE_TYPE &&
    vendor.keys.has(vendorKey(s.statement.predicate.vendor))
      ? [{ index: s.index, predicate: s.statement.predicate, digests: s.statement.subject }]
      : [],
  );
  const ends: number[] = [];
  for (const v of evidence.vulnerabilities ?? []) {
    const release = releases.find((r) =>
      r.digests.some((d) => `sha256:${d.digest.sha256}` === v.release),
    );
    if (release === undefined || !meetsClauseSeverity(v.advisory.severity, clause.severity))
      continue;
    const ids = new Set([v.advisory.id, ...v.advisory.aliases]);
    const fixed = releases.some(
      (r) =>
        r.index > release.index &&
        (r.predicate.securityFix?.advisories ?? []).some((a) => ids.has(a)),
    );
    const end = fixWindowEnd(v.advisory.published, release.predicate.releasedAt, clause.days);
    if (!fixed && now <= end) ends.push(end);
  }
  if (ends.length === 0) return undefined;
  const first = new Date(Math.min(...ends)).toISOString().slice(0, 10);
  return {
    status: 'pending',
    note: `${String(ends.length)} advisory match(es) within the ${String(clause.days)}-day fix window (the first ends ${first})`,
  };
}

/**
 * The vendor's latest logged agreement with each clause's status; `vendorReleases` are the
 * vendor's release records (their reproducibility decides a pending `release-reproduced`).
 */
export function agreementRecord(
  evidence: CheckEvidence,
  report: Report,
  vendor: VendorNames,
  checked: CheckedEvidence,
  vendorReleases: readonly ReleaseRecord[] = [],
): AgreementRecord | undefined {
  const agreement = agreementsOf(evidence).findLast((a) =>
    vendor.keys.has(vendorKey(a.statement.predicate.parties.vendor.name)),
  );
  if (agreement === undefined) return undefined;
  const p = agreement.statement.predicate;
  const releases = evidence.statements.flatMap((s) =>
    s.statement.predicateType === RELEASE_PREDICATE_TYPE &&
    vendor.keys.has(vendorKey(s.statement.predicate.vendor))
      ? [{ sbomFormat: s.statement.predicate.sbom.format }]
      : [],
  );
  const listed = new Set<string>(p.clauses.map((c) => c.clause));
  // Findings that break the promise as a whole (a back door breaks `no-spy`, no listed clause).
  const whole = new Map<string, string[]>();
  for (const f of report.findings) {
    if (f.breaks.type !== 'clause' || f.breaks.agreement !== agreement.index) continue;
    if (listed.has(f.breaks.clause)) continue;
    whole.set(f.breaks.clause, [...(whole.get(f.breaks.clause) ?? []), f.id]);
  }
  return {
    index: agreement.index,
    agreementId: p.agreementId,
    title: p.title,
    validity: { from: p.validity.from, until: p.validity.until },
    clauses: [
      ...p.clauses.map((clause): ClauseRecord => {
        const findings = breaking(report, agreement.index, clause.clause);
        const canary = canaryClause(
          evidence,
          vendor.keys,
          p.validity.from,
          clause,
          Date.parse(report.evaluatedAt),
        );
        if (findings.length > 0) {
          return {
            id: clause.clause,
            status: 'broken',
            findings,
            ...(canary?.due === undefined ? {} : { due: canary.due }),
          };
        }
        const other =
          unchecked(clause, checked, releases) ??
          canary ??
          pending(evidence, report, vendor, clause) ??
          reproductionPending(vendorReleases, clause);
        return { id: clause.clause, findings: [], ...(other ?? { status: 'kept' }) };
      }),
      ...[...whole].map(([id, findings]): ClauseRecord => ({
        id,
        status: 'broken',
        findings,
        note: 'the agreement as a whole (no listed clause)',
      })),
    ],
  };
}

/** The vendor's logged canaries and the lapses the report found, oldest first. */
export function canaryHistory(
  evidence: CheckEvidence,
  report: Report,
  vendor: VendorNames,
): CanaryEvent[] {
  const events: CanaryEvent[] = [];
  for (const s of evidence.statements) {
    const st = s.statement;
    if (st.predicateType !== CANARY_PREDICATE_TYPE) continue;
    if (!vendor.keys.has(vendorKey(st.predicate.vendor))) continue;
    events.push({
      at: st.predicate.issuedAt,
      status: 'fresh',
      statement: s.index,
      nextDue: st.predicate.nextDue,
    });
  }
  for (const f of report.findings) {
    if (f.kind !== 'canary-lapsed') continue;
    if (!subjectVendors(f).some((name) => vendor.keys.has(vendorKey(name)))) continue;
    events.push({ at: f.firstSeen, status: 'lapsed', until: f.lastSeen, finding: f.id });
  }
  return events.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

/** Per configured pack: `fail` when one of its violations names the vendor or its devices. */
export function vendorCompliance(
  report: Report,
  packs: readonly string[],
  vendor: VendorNames,
  devices: ReadonlySet<string>,
): VendorRecord['compliance'] {
  return packs.map((pack) => {
    const fails = report.findings.some(
      (f) =>
        f.breaks.type === 'rule' &&
        f.breaks.pack === pack &&
        (subjectVendors(f).some((name) => vendor.keys.has(vendorKey(name))) ||
          f.evidence.some((e) => e.type === 'policy' && e.items.some((i) => devices.has(i)))),
    );
    return { pack, status: fails ? 'fail' : 'pass' };
  });
}
