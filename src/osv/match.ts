/**
 * Matches one package (by purl, or by ecosystem + name + version) against the advisory index and
 * returns the findings: each names the advisory, the affected range and the fixed versions.
 */
import { formatPurl, parsePurl, type PackageUrl } from '../sbom/purl.js';
import {
  describeRange,
  judgeCompiled,
  JudgedVersion,
  mayAffect,
  type AffectedStatus,
} from './affected.js';
import type { AdvisoryIndex, IndexedAffected } from './advisory-index.js';
import { cvss3BaseScore } from './cvss.js';
import { ecosystemOfPurl, parseEcosystem, type EcosystemRef } from './ecosystem.js';
import type { AffectedRange, EventKind, OsvRecord } from './record.js';

/** The package to look up. */
export interface PackageQuery {
  readonly ecosystem: EcosystemRef | undefined;
  readonly name: string;
  readonly version: string;
  /** `pkg:type/ns/name` for advisories keyed by purl only (OSS-Fuzz `pkg:generic/…`). */
  readonly purlKey: string | undefined;
}

export interface RangeText {
  readonly type: string;
  readonly repo?: string;
  readonly introduced: readonly string[];
  readonly fixed: readonly string[];
  readonly lastAffected: readonly string[];
  readonly limit: readonly string[];
  readonly text: string;
}

/** One advisory that applies (or may apply) to the package. */
export interface VulnerabilityFinding {
  readonly status: Exclude<AffectedStatus, 'not_affected'>;
  readonly advisory: {
    readonly id: string;
    readonly aliases: readonly string[];
    readonly related: readonly string[];
    readonly summary: string | null;
    /** OSV `severity[]`; CVSS v3 vectors also carry their computed base score and rating. */
    readonly severity: readonly {
      readonly type: string;
      readonly score: string;
      readonly baseScore?: number;
      readonly rating?: string;
    }[];
    readonly databaseSeverity: string | null;
    readonly modified: string;
  };
  /** The advisory's `affected[].package.ecosystem` that matched. */
  readonly ecosystem: string;
  readonly package: string;
  readonly version: string;
  readonly reason: string;
  readonly ranges: readonly RangeText[];
  /** Versions that fix it in that ecosystem; empty when no fix is published. */
  readonly fixed: readonly string[];
}

// Every finding by a range quotes it the same way: one view per range.
const rangeTexts = new WeakMap<AffectedRange, RangeText>();

function rangeText(range: AffectedRange): RangeText {
  let view = rangeTexts.get(range);
  if (view === undefined) {
    view = describe(range);
    rangeTexts.set(range, view);
  }
  return view;
}

function describe(range: AffectedRange): RangeText {
  const pick = (kind: EventKind): string[] =>
    range.events.filter((e) => e.kind === kind).map((e) => e.version);
  return {
    type: range.type,
    ...(range.repo === undefined ? {} : { repo: range.repo }),
    introduced: pick('introduced'),
    fixed: pick('fixed'),
    lastAffected: pick('last_affected'),
    limit: pick('limit'),
    text: describeRange(range),
  };
}

// One view per record: a record matches many components, and its severity scores and alias
// lists are the same every time.
const advisoryViews = new WeakMap<OsvRecord, VulnerabilityFinding['advisory']>();

function advisoryOf(record: OsvRecord): VulnerabilityFinding['advisory'] {
  const cached = advisoryViews.get(record);
  if (cached !== undefined) return cached;
  const view = {
    id: record.id,
    aliases: record.aliases,
    related: [...record.related, ...record.upstream],
    summary: record.summary ?? null,
    severity: record.severity.map((s) => {
      const computed = s.type === 'CVSS_V3' ? cvss3BaseScore(s.score) : undefined;
      return computed === undefined ? s : { ...s, ...computed };
    }),
    databaseSeverity: record.databaseSeverity ?? null,
    modified: record.modified,
  };
  advisoryViews.set(record, view);
  return view;
}

/** A package query from a purl (and a version when the purl carries none). */
export function queryOfPurl(purl: PackageUrl, fallbackVersion?: string): PackageQuery | undefined {
  const version = purl.version ?? fallbackVersion;
  if (version === undefined || version === '') return undefined;
  const eco = ecosystemOfPurl(purl);
  return {
    ecosystem: eco?.ecosystem,
    name: eco?.name ?? purl.name,
    version,
    // The same key the index built from advisory purls (formatPurl of a parsed purl, no version),
    // needed only where no OSV ecosystem answers for the purl type.
    purlKey: eco === undefined ? formatPurl({ ...purl, version: undefined }) : undefined,
  };
}

/** A package query from a purl string; undefined (with the problems) when it cannot be read. */
export function queryOfPurlText(text: string): {
  query: PackageQuery | undefined;
  problems: readonly string[];
} {
  const { purl, problems } = parsePurl(text);
  return { query: purl === undefined ? undefined : queryOfPurl(purl), problems };
}

/** A package query from explicit ecosystem, name and version (`nospy osv query --ecosystem …`). */
export function queryOfEcosystem(ecosystem: string, name: string, version: string): PackageQuery {
  return { ecosystem: parseEcosystem(ecosystem), name, version, purlKey: undefined };
}

/** Every advisory that applies, or may apply, to the package. */
export function matchPackage(index: AdvisoryIndex, query: PackageQuery): VulnerabilityFinding[] {
  const candidates: readonly IndexedAffected[] =
    query.ecosystem !== undefined
      ? index.covering(query.ecosystem, query.name)
      : query.purlKey !== undefined
        ? // No OSV ecosystem for this purl type: only advisories that name exactly this purl apply.
          index.byPurl(query.purlKey)
        : [];
  if (candidates.length === 0) return [];
  const version = new JudgedVersion(query.version);
  const byRecord = new Map<
    string,
    {
      record: OsvRecord;
      ecosystem: string;
      affected: boolean;
      reasons: string[];
      ranges: RangeText[];
      fixed: Set<string>;
    }
  >();
  for (const { record, affected, compiled } of candidates) {
    if (!mayAffect(version, compiled)) continue;
    const verdict = judgeCompiled(version, compiled);
    if (verdict.status === 'not_affected') continue;
    let slot = byRecord.get(record.id);
    if (slot === undefined) {
      slot = {
        record,
        ecosystem: affected.package?.ecosystem ?? '',
        affected: false,
        reasons: [],
        ranges: [],
        fixed: new Set(),
      };
      byRecord.set(record.id, slot);
    }
    if (verdict.status === 'affected' && !slot.affected) {
      // An affected verdict outranks an unassessed one from another entry of the same record.
      slot.affected = true;
      slot.reasons = [];
      slot.ranges = [];
      slot.fixed.clear();
      slot.ecosystem = affected.package?.ecosystem ?? '';
    } else if (verdict.status === 'unassessed' && slot.affected) {
      continue;
    }
    slot.reasons.push(verdict.reason);
    const ranges = verdict.range === undefined ? affected.ranges : [verdict.range];
    for (const range of ranges) {
      const text = rangeText(range);
      slot.ranges.push(text);
      for (const f of text.fixed) slot.fixed.add(f);
    }
  }
  return [...byRecord.values()].map((slot) => ({
    status: slot.affected ? 'affected' : 'unassessed',
    advisory: advisoryOf(slot.record),
    ecosystem: slot.ecosystem,
    package: query.name,
    version: query.version,
    reason: slot.reasons.join('; '),
    ranges: slot.ranges,
    fixed: [...slot.fixed],
  }));
}
