/**
 * The parts of an OSV record (ossf/osv-schema, validation/schema.json) that matching needs, and
 * a check of the schema's essentials. Anything else in the record is kept out of the model.
 */

export type RangeType = 'SEMVER' | 'ECOSYSTEM' | 'GIT';

/** The four kinds of `ranges[].events[]` entry (OSV schema "events"). */
export type EventKind = 'introduced' | 'fixed' | 'last_affected' | 'limit';

/**
 * One `ranges[].events[]` entry, as kind and version: one shape for all four kinds keeps the
 * matcher's hot loop monomorphic.
 */
export interface RangeEvent {
  readonly kind: EventKind;
  readonly version: string;
}

export interface AffectedRange {
  readonly type: RangeType;
  readonly repo: string | undefined;
  readonly events: readonly RangeEvent[];
}

export interface AffectedPackage {
  readonly ecosystem: string;
  readonly name: string;
  readonly purl: string | undefined;
}

export interface Affected {
  readonly package: AffectedPackage | undefined;
  readonly ranges: readonly AffectedRange[];
  readonly versions: readonly string[];
  /** `ecosystem_specific.severity` / `database_specific.severity`, when the database gives one. */
  readonly severity: string | undefined;
}

export interface Severity {
  readonly type: string;
  readonly score: string;
}

/** An advisory as the matcher sees it. */
export interface OsvRecord {
  readonly id: string;
  readonly modified: string;
  readonly aliases: readonly string[];
  readonly related: readonly string[];
  readonly upstream: readonly string[];
  readonly summary: string | undefined;
  readonly withdrawn: string | undefined;
  readonly severity: readonly Severity[];
  readonly databaseSeverity: string | undefined;
  readonly affected: readonly Affected[];
}

/** Either the record or the reasons it is not an OSV record, each with its JSON path. */
export type OsvParseResult =
  | { readonly ok: true; readonly record: OsvRecord }
  | { readonly ok: false; readonly problems: readonly string[] };

const RANGE_TYPES = new Set<string>(['SEMVER', 'ECOSYSTEM', 'GIT']);
const EVENT_KEYS = ['introduced', 'fixed', 'last_affected', 'limit'] as const;
// Bounds: a record is one advisory; these are far above any published one.
const MAX_AFFECTED = 10_000;
const MAX_EVENTS = 10_000;
const MAX_VERSIONS = 200_000;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringList(value: unknown, path: string, problems: string[]): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    problems.push(`${path}: must be an array of strings`);
    return [];
  }
  return value;
}

function severityOf(value: unknown): string | undefined {
  if (!isObject(value)) return undefined;
  const s = value.severity;
  return typeof s === 'string' ? s : undefined;
}

function parseEvents(value: unknown, path: string, problems: string[]): RangeEvent[] {
  if (!Array.isArray(value) || value.length === 0) {
    problems.push(`${path}: must be a non-empty array`);
    return [];
  }
  if (value.length > MAX_EVENTS) {
    problems.push(`${path}: more than ${MAX_EVENTS} events`);
    return [];
  }
  const events: RangeEvent[] = [];
  value.forEach((event: unknown, i) => {
    const keys = isObject(event) ? Object.keys(event) : [];
    const key = EVENT_KEYS.find((k) => keys.includes(k));
    const text = key === undefined || !isObject(event) ? undefined : event[key];
    if (keys.length !== 1 || key === undefined || typeof text !== 'string') {
      problems.push(`${path}/${i}: must have exactly one of ${EVENT_KEYS.join(', ')} as a string`);
      return;
    }
    events.push({ kind: key, version: text });
  });
  // OSV schema: "events" must contain at least one `introduced`.
  if (!events.some((e) => e.kind === 'introduced'))
    problems.push(`${path}: has no 'introduced' event`);
  return events;
}

function parseRange(value: unknown, path: string, problems: string[]): AffectedRange | undefined {
  if (!isObject(value)) {
    problems.push(`${path}: must be an object`);
    return undefined;
  }
  const type = value.type;
  if (typeof type !== 'string' || !RANGE_TYPES.has(type)) {
    problems.push(`${path}/type: must be one of SEMVER, ECOSYSTEM, GIT`);
    return undefined;
  }
  const repo = typeof value.repo === 'string' ? value.repo : undefined;
  if (type === 'GIT' && repo === undefined) problems.push(`${path}/repo: required for a GIT range`);
  const events = parseEvents(value.events, `${path}/events`, problems);
  return { type: type as RangeType, repo, events };
}

function parseAffected(value: unknown, path: string, problems: string[]): Affected | undefined {
  if (!isObject(value)) {
    problems.push(`${path}: must be an object`);
    return undefined;
  }
  let pkg: AffectedPackage | undefined;
  if (value.package !== undefined) {
    const p = value.package;
    if (!isObject(p) || typeof p.ecosystem !== 'string' || typeof p.name !== 'string') {
      problems.push(`${path}/package: must have string 'ecosystem' and 'name'`);
    } else {
      pkg = {
        ecosystem: p.ecosystem,
        name: p.name,
        purl: typeof p.purl === 'string' ? p.purl : undefined,
      };
    }
  }
  const ranges: AffectedRange[] = [];
  if (value.ranges !== undefined) {
    if (!Array.isArray(value.ranges)) problems.push(`${path}/ranges: must be an array`);
    else
      value.ranges.forEach((r: unknown, i) => {
        const range = parseRange(r, `${path}/ranges/${i}`, problems);
        if (range !== undefined) ranges.push(range);
      });
  }
  const versions = stringList(value.versions, `${path}/versions`, problems);
  if (versions.length > MAX_VERSIONS) problems.push(`${path}/versions: more than ${MAX_VERSIONS}`);
  return {
    package: pkg,
    ranges,
    versions,
    severity: severityOf(value.ecosystem_specific) ?? severityOf(value.database_specific),
  };
}

/** Checks a parsed JSON/YAML value against the OSV schema's essentials and keeps what matching needs. */
export function parseOsvRecord(value: unknown): OsvParseResult {
  const problems: string[] = [];
  if (!isObject(value)) return { ok: false, problems: ['/: not an object'] };
  if (typeof value.id !== 'string' || value.id === '') problems.push('/id: required string');
  if (typeof value.modified !== 'string') problems.push('/modified: required string');
  const affected: Affected[] = [];
  if (value.affected !== undefined) {
    if (!Array.isArray(value.affected)) problems.push('/affected: must be an array');
    else if (value.affected.length > MAX_AFFECTED)
      problems.push(`/affected: more than ${MAX_AFFECTED}`);
    else
      value.affected.forEach((a: unknown, i) => {
        const entry = parseAffected(a, `/affected/${i}`, problems);
        if (entry !== undefined) affected.push(entry);
      });
  }
  const severity: Severity[] = [];
  if (Array.isArray(value.severity)) {
    for (const s of value.severity as unknown[]) {
      if (isObject(s) && typeof s.type === 'string' && typeof s.score === 'string') {
        severity.push({ type: s.type, score: s.score });
      } else problems.push('/severity: each entry needs string type and score');
    }
  }
  const aliases = stringList(value.aliases, '/aliases', problems);
  const related = stringList(value.related, '/related', problems);
  const upstream = stringList(value.upstream, '/upstream', problems);
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    record: {
      id: value.id as string,
      modified: value.modified as string,
      aliases,
      related,
      upstream,
      summary: typeof value.summary === 'string' ? value.summary : undefined,
      withdrawn: typeof value.withdrawn === 'string' ? value.withdrawn : undefined,
      severity,
      databaseSeverity: severityOf(value.database_specific),
      affected,
    },
  };
}

/** Whether a parsed document looks like it meant to be an OSV record at all (has id + modified). */
export function looksLikeOsv(value: unknown): boolean {
  return isObject(value) && typeof value.id === 'string' && 'modified' in value;
}
