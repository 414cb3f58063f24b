/** The read API's responses, as the dashboard uses them (see docs/api.md). */

import type { Severity } from './severities.js';

export { SEVERITIES, type Severity } from './severities.js';

export interface Finding {
  readonly id: string;
  readonly kind: string;
  readonly severity: Severity;
  readonly subject: { device?: string; vendor?: string; release?: string; log?: string };
  readonly breaks: {
    type: string;
    agreement?: number;
    clause?: string;
    pack?: string;
    rule?: string;
  };
  readonly firstSeen: string;
  readonly lastSeen?: string;
  readonly explanation: string;
  /** Each part carries what a verifier needs (src/check/finding.ts); read as loose records. */
  readonly evidence?: readonly EvidencePart[];
  /** The triage decision in force, when there is one. */
  readonly triage?: TriageDecision;
}

export type EvidencePart = { readonly type: string } & Readonly<Record<string, unknown>>;

export type TriageState = 'acknowledged' | 'false-positive' | 'accepted-risk' | 'reopened';

export interface TriageDecision {
  readonly finding: string;
  readonly state: TriageState;
  readonly by: string;
  readonly at: string;
  readonly reason: string;
  readonly until?: string;
}

/** `GET /v1/findings/<id>`: the finding with its history across runs and its triage. */
export interface FindingDetail extends Finding {
  readonly history?: {
    firstSeen: string;
    lastSeen: string;
    firstRun: string;
    lastRun: string;
    resolvedAt?: string;
  };
  readonly triageHistory?: readonly TriageDecision[];
}

/** `GET /v1/findings` with paging: the page, and how many the filters select. */
export interface FindingPage {
  readonly findings: Finding[];
  readonly total: number;
  readonly bySeverity?: Record<string, number>;
}

export interface Summary {
  /** The report's evaluation instant. */
  readonly generatedAt: string;
  /** When the report was computed (wall clock). */
  readonly computedAt?: string;
  /** False when the server has no check configuration; `reason` then says what is missing. */
  readonly checked: boolean;
  readonly reason?: string;
  readonly findings: {
    total: number;
    byKind: Record<string, number>;
    bySeverity: Record<string, number>;
  };
  readonly devices: number;
  readonly vendors: number;
  readonly releases: number;
  readonly log: { origin: string; size: number; checkpoint: string; verifierKey?: string };
}

export interface HistoryDay {
  readonly day: string;
  readonly total: number;
  readonly bySeverity: Record<string, number>;
}

export interface DeviceSummary {
  readonly id: string;
  /** The vendor's id (`#/vendors/<id>`). */
  readonly vendor: string;
  readonly vendorName?: string;
  readonly model?: string;
  readonly release?: string;
  readonly firmware: string;
  /** `firmware` told honestly: `logged-with-indicators`, `unscanned` beside the verdicts. */
  readonly firmwareStatus?: string;
  readonly findings: number;
}

export interface TrafficVerdict {
  readonly destination: string;
  readonly service?: string;
  readonly verdict: 'allowed' | 'undeclared' | 'unapproved-access';
  readonly flows: number;
  readonly finding?: string;
}

export interface Device extends DeviceSummary {
  readonly mud?: { url?: string; digest?: string; allowed: string[] };
  readonly traffic: TrafficVerdict[];
  readonly trafficCounts?: { allowed: number; violations: number };
  readonly accessGrants: {
    grantee: string;
    scope: string;
    from?: string;
    until?: string;
    statement?: number;
    grantId?: string;
    sources?: string[];
  }[];
  readonly timeline: { at: string; event: string; ref?: string }[];
  readonly releaseInfo?: {
    digest: string;
    version: string;
    index: number;
    /** `sha256:<hex>` of the SBOM and MUD file the release statement names (blobs). */
    sbom?: string;
    mud?: string;
  };
  readonly findingList: Finding[];
}

/** One evaluator's rebuild attestation of a release. */
export interface RebuildAttestation {
  readonly evaluator: string;
  readonly verdict: 'equivalent' | 'different';
  readonly attestedAt: string;
  readonly statement: number;
  readonly produced: string;
  readonly diffReport?: string;
  readonly differences?: { path: string; change: string; classification: string | null }[];
}

export type ReproducibilityStatus =
  'reproduced' | 'pending' | 'not-reproduced' | 'not-equivalent' | 'not-required';

export interface Release {
  readonly digest: string;
  readonly vendor: string;
  readonly version: string;
  readonly index: number;
  readonly releasedAt: string;
  /** When the log integrated it; absent when the store did not keep the time. */
  readonly loggedAt?: string;
  /** What the release statement names by digest (`sha256:<hex>`); the blobs hold them. */
  readonly sbom?: { digest: string; format: string };
  readonly mud?: { digest: string };
  readonly reproducibility: {
    readonly status: ReproducibilityStatus;
    readonly required?: { evaluators: number; withinDays: number };
    readonly attestations: RebuildAttestation[];
    readonly finding?: string;
  };
}

export interface VendorSummary {
  readonly id: string;
  readonly name: string;
  readonly devices: number;
  readonly releases: number;
  readonly findings: number;
  readonly agreement?: number;
  readonly clauses?: { kept: number; broken: number; notChecked: number; pending?: number };
}

export type ClauseStatus = 'kept' | 'broken' | 'not-checked' | 'pending';

export interface CanaryEvent {
  readonly at: string;
  readonly status: 'fresh' | 'lapsed';
  readonly statement?: number;
  readonly nextDue?: string;
  readonly until?: string;
  readonly finding?: string;
}

export interface Vendor extends VendorSummary {
  readonly agreementDetail?: {
    index: number;
    agreementId?: string;
    title?: string;
    validity?: { from: string; until: string };
    clauses: {
      id: string;
      status: ClauseStatus;
      findings: string[];
      note?: string;
      /** `canary-every`: the day the next canary is due. */
      due?: string;
    }[];
  };
  readonly releaseList: Release[];
  readonly canary: CanaryEvent[];
  readonly compliance: { pack: string; status: string }[];
}

export interface Pack {
  readonly pack: string;
  readonly title?: string;
  /** A proposal, not law in force. */
  readonly proposed?: boolean;
  readonly pending: { rule: string; waitsFor: string[]; what: string }[];
  readonly findings: Finding[];
  readonly domains: {
    domain: string;
    rule?: string;
    technology?: string;
    measure?: string;
    cap: number;
    shares: { vendor: string; share: number; capped: boolean; overCap: boolean }[];
  }[];
  readonly deadlines: { date: string; rule: string; what: string }[];
  readonly plan: {
    by: string;
    step: string;
    device?: string;
    rule?: string;
    vendor?: string;
    items?: string[];
    overdue?: boolean;
  }[];
}

/**
 * The path id of a vendor name as findings spell it ("Globex Telecom Systems" →
 * `globex-telecom-systems`); the API finds a vendor by any spelling of its name.
 */
export function vendorPath(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `#/vendors/${encodeURIComponent(slug === '' ? name : slug)}`;
}

/**
 * The read token the operator signed in with. Kept in sessionStorage: it lasts as long as the
 * tab, is not sent by the browser on its own (no cookie, so no cross-site request carries it),
 * and is gone when the tab closes.
 */
const TOKEN_KEY = 'nospy.token';
/** Dispatched on window when the sign-in state changes: `detail` is 'required' or 'signed-in'. */
export const AUTH_EVENT = 'nospy:auth';

export function storedToken(): string | undefined {
  try {
    return sessionStorage.getItem(TOKEN_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

export function signIn(token: string): void {
  sessionStorage.setItem(TOKEN_KEY, token);
  window.dispatchEvent(new CustomEvent(AUTH_EVENT, { detail: 'signed-in' }));
}

export function signOut(): void {
  sessionStorage.removeItem(TOKEN_KEY);
  window.dispatchEvent(new CustomEvent(AUTH_EVENT, { detail: 'required' }));
}

/** The headers of an API request: JSON, and the read token when signed in. */
export function apiHeaders(token: string | undefined = storedToken()): Record<string, string> {
  return token === undefined
    ? { accept: 'application/json' }
    : { accept: 'application/json', authorization: `Bearer ${token}` };
}

/**
 * GETs a same-origin path and parses JSON; a non-2xx answer throws with the API's message. A 401
 * (no token, or one revoked) forgets the stored token and asks for a sign-in.
 */
export async function getJson<T>(path: string): Promise<T> {
  const response = await fetch(path, { headers: apiHeaders() });
  if (response.status === 401) signOut();
  if (!response.ok) {
    const body = (await response.json().catch(() => undefined)) as
      { error?: { message?: string } } | undefined;
    throw new Error(`${path}: ${String(response.status)} ${body?.error?.message ?? ''}`.trim());
  }
  return (await response.json()) as T;
}

/** The CSS class of a firmware verdict: an image no logged release names is bad, none named is unknown. */
export function firmwareClass(verdict: string): string {
  return verdict === 'logged'
    ? 'ok'
    : verdict === 'not-logged' || verdict === 'logged-with-indicators'
      ? 'bad'
      : 'muted';
}

/**
 * Whether a check ran over anything: `unconfigured` when the server says it has no check
 * configuration (`checked: false`), which must never read as "no findings". The one place this
 * is decided.
 */
export function checkState(summary: Summary): 'checked' | 'unconfigured' {
  return summary.checked ? 'checked' : 'unconfigured';
}

/** POSTs JSON to a same-origin path with the stored token; throws with the API's message. */
export async function postJson<T>(path: string, body: unknown): Promise<T> {
  const response = await fetch(path, {
    method: 'POST',
    headers: { ...apiHeaders(), 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status === 401) signOut();
  if (!response.ok) {
    const answer = (await response.json().catch(() => undefined)) as
      { error?: { message?: string } } | undefined;
    throw new Error(`${String(response.status)} ${answer?.error?.message ?? ''}`.trim());
  }
  return (await response.json()) as T;
}

/** A local date and time with the zone, e.g. `1 Jun 2026, 02:00 CEST`. */
export function localTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  // dateStyle and timeStyle cannot be combined with timeZoneName: the fields are named instead.
  return date.toLocaleString(undefined, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
  });
}

/** The dashboard path of a finding. */
export function findingPath(id: string): string {
  return `#/finding/${encodeURIComponent(id)}`;
}

/** A device's firmware status in words: never "logged" in green for an image with indicators. */
export function firmwareText(device: { firmware: string; firmwareStatus?: string }): string {
  const status = device.firmwareStatus ?? device.firmware;
  return status === 'logged-with-indicators'
    ? 'logged, but carries back-door indicators'
    : status === 'unscanned'
      ? 'logged, never scanned'
      : status;
}

/** The dashboard path of a log entry (`#/log/entry/<index>`): the page that verifies it. */
export function logEntryPath(index: number | string): string {
  return `#/log/entry/${encodeURIComponent(String(index))}`;
}

/** Where the server keeps a blob by digest (`sha256:<hex>`): its bytes, fetched as they are. */
export function blobPath(digest: string): string {
  // Not percent-encoded: the route reads `sha256:<hex>` as is, and a digest holds no `/` or `?`.
  return `v1/blobs/${digest}`;
}
