/**
 * What the REST read API answers from: an `ApiSnapshot` (the check engine's report joined with the
 * log's statements) that an `ApiSnapshotSource` hands the routes. The routes only read snapshots,
 * so they are tested with a hand-built source and served from the engine's report in production
 * (`src/server/api/report-snapshot.ts`).
 */
import type { Finding } from '../../check/finding.js';
import type { FindingHistory } from '../../check/finding-history.js';
import type { FindingStorePort } from '../../store/finding-store-port.js';
import type { AccessTokens } from '../auth/access-tokens.js';

/** Whether a device runs a release the log knows. */
export type FirmwareVerdict = 'logged' | 'not-logged' | 'unknown';

/** `undeclared` and `unapproved-access` are the behaviour check's findings (src/mud). */
export type TrafficVerdictKind = 'allowed' | 'undeclared' | 'unapproved-access';

/** One remote endpoint a device exchanged flows with, judged against its MUD file and grants. */
export interface TrafficVerdict {
  /** The remote address (or name). */
  readonly destination: string;
  /** `tcp/22`, `udp/53535`: the service of a violation, when known. */
  readonly service?: string;
  readonly verdict: TrafficVerdictKind;
  /** Flow records (device legs) with this verdict. */
  readonly flows: number;
  /** The finding id of a violation. */
  readonly finding?: string;
}

/** How many of a device's flow records (legs) were allowed and how many broke its MUD or grants. */
export interface TrafficCounts {
  readonly allowed: number;
  readonly violations: number;
}

/** A logged access grant (who may reach a device, for what, until when). */
export interface AccessGrant {
  readonly grantee: string;
  readonly scope: string;
  /** ISO 8601: the grant's window. */
  readonly from?: string;
  readonly until?: string;
  /** The access statement's log index. */
  readonly statement?: number;
  readonly grantId?: string;
  readonly sources?: readonly string[];
}

/** One dated event in a device's or vendor's history. */
export interface TimelineEvent {
  /** ISO 8601 UTC. */
  readonly at: string;
  readonly event: string;
  /** The statement's log index or the finding id the event comes from. */
  readonly ref?: string;
}

export interface DeviceRecord {
  readonly id: string;
  /** The vendor's id (a `VendorRecord.id`). */
  readonly vendor: string;
  /** The vendor's name as the inventory records it, when it differs from the id. */
  readonly vendorName?: string;
  readonly model?: string;
  /** The release's image digest, `sha256:<hex>`, when the inventory names one. */
  readonly release?: string;
  readonly firmware: FirmwareVerdict;
  /**
   * The MUD file of the release it runs (URL and digest from the release statement) and the remote
   * endpoints it was seen exchanging flows with that the MUD file allows.
   */
  readonly mud?: {
    readonly url?: string;
    readonly digest?: string;
    readonly allowed: readonly string[];
  };
  readonly traffic: readonly TrafficVerdict[];
  /** Absent when no flows were checked. */
  readonly trafficCounts?: TrafficCounts;
  readonly accessGrants: readonly AccessGrant[];
  readonly timeline: readonly TimelineEvent[];
}

/**
 * `not-checked`: the evidence the clause is judged on was not given (no flows, no OSV data…).
 * `pending`: it was, and what it found is still within the clause's window (an advisory younger
 * than `critical-vulns-fixed-within`'s days): neither kept nor broken yet.
 */
export type ClauseStatus = 'kept' | 'broken' | 'not-checked' | 'pending';

export interface ClauseRecord {
  readonly id: string;
  readonly status: ClauseStatus;
  /** Ids of the findings that break it. */
  readonly findings?: readonly string[];
  /** Why it is not checked, or how it is judged without a rule. */
  readonly note?: string;
  /** `canary-every`: the day (YYYY-MM-DD) the next canary is due under the clause's interval. */
  readonly due?: string;
}

export interface AgreementRecord {
  /** The agreement statement's log index. */
  readonly index: number;
  readonly agreementId?: string;
  readonly title?: string;
  readonly validity?: { readonly from: string; readonly until: string };
  readonly clauses: readonly ClauseRecord[];
}

/**
 * One entry of a vendor's canary history: a logged canary (`fresh`, with its statement) or a lapse
 * (`lapsed`, from a canary-lapsed finding, from when the canary was due `until` the next one).
 */
export interface CanaryEvent {
  readonly at: string;
  readonly status: 'fresh' | 'lapsed';
  readonly statement?: number;
  readonly nextDue?: string;
  readonly until?: string;
  readonly finding?: string;
}

/** One evaluator's rebuild attestation of a release (a `rebuild` statement). */
export interface RebuildAttestationRecord {
  /** The evaluator party. */
  readonly evaluator: string;
  readonly verdict: 'equivalent' | 'different';
  readonly attestedAt: string;
  /** The rebuild statement's log index. */
  readonly statement: number;
  /** `sha256:<hex>` the evaluator's build produced. */
  readonly produced: string;
  /** `sha256:<hex>` of the diff report, when the build was not the released image. */
  readonly diffReport?: string;
  /** The entries the diff report names (equivalence breakers first; at most 50), when it was read. */
  readonly differences?: readonly {
    readonly path: string;
    readonly change: string;
    readonly classification: string | null;
  }[];
}

/**
 * Whether a release was rebuilt from its source: `reproduced` (the clause's evaluators attest it
 * equivalent), `pending` (not yet, inside the window), `not-reproduced` and `not-equivalent` (the
 * finding), `not-required` (the vendor's agreement has no `release-reproduced` clause).
 */
export type ReproducibilityStatus =
  'reproduced' | 'pending' | 'not-reproduced' | 'not-equivalent' | 'not-required';

export interface Reproducibility {
  readonly status: ReproducibilityStatus;
  /** The clause's parameters, when the vendor's agreement carries it. */
  readonly required?: { readonly evaluators: number; readonly withinDays: number };
  /** Oldest first. */
  readonly attestations: readonly RebuildAttestationRecord[];
  /** The release-not-reproduced or release-not-equivalent finding. */
  readonly finding?: string;
}

export interface ReleaseRecord {
  readonly digest: string;
  readonly vendor: string;
  readonly version: string;
  /** Log index of the release statement. */
  readonly index: number;
  /** When the vendor says it released the image (the statement's own `releasedAt`). */
  readonly releasedAt: string;
  /**
   * When the log integrated the statement: the sign time of the first checkpoint that covered
   * it. Absent when the store does not know (entries logged before it kept sign times).
   */
  readonly loggedAt?: string;
  /** The SBOM and MUD file the release statement names by digest (`sha256:<hex>`), blobs by that digest. */
  readonly sbom: { readonly digest: string; readonly format: string };
  readonly mud: { readonly digest: string };
  readonly reproducibility: Reproducibility;
}

export interface VendorRecord {
  readonly id: string;
  readonly name: string;
  /**
   * Other spellings of the vendor that findings use (agreement party names, rule-pack registry
   * ids), compared by `vendorKey`.
   */
  readonly aliases?: readonly string[];
  readonly agreement?: AgreementRecord;
  readonly canary: readonly CanaryEvent[];
  readonly compliance: readonly { readonly pack: string; readonly status: 'pass' | 'fail' }[];
}

/** Each vendor's share of one network domain, against a cap of the pack. */
export interface DomainShares {
  readonly domain: string;
  /** The cap rule. */
  readonly rule?: string;
  readonly technology?: string;
  /** What the share counts: `items`, `sites`, `traffic` or `premises`. */
  readonly measure?: string;
  /** The pack's cap on the restricted vendors' share (0..1). */
  readonly cap: number;
  readonly shares: readonly {
    readonly vendor: string;
    readonly share: number;
    /** Whether the cap applies to this vendor (it is one of the pack's restricted entities). */
    readonly capped?: boolean;
  }[];
}

export interface PackCompliance {
  readonly pack: string;
  readonly title?: string;
  /** The pack is a proposal under negotiation: its findings are never violations of law in force. */
  readonly proposed?: boolean;
  /** Rules not yet applicable: their deadlines count from an event nobody can date yet. */
  readonly pending?: readonly {
    readonly rule: string;
    readonly waitsFor: readonly string[];
    readonly what: string;
  }[];
  readonly domains: readonly DomainShares[];
  readonly deadlines: readonly {
    readonly date: string;
    readonly rule: string;
    readonly what: string;
  }[];
  readonly plan: readonly {
    readonly by: string;
    readonly step: string;
    readonly device?: string;
    readonly rule?: string;
    readonly vendor?: string;
    readonly items?: readonly string[];
    /** The deadline had passed on the evaluation day. */
    readonly overdue?: boolean;
  }[];
}

/** The log as the API reports it. */
export interface LogState {
  readonly origin: string;
  readonly size: number;
  /** The latest (cosigned when available) checkpoint note. */
  readonly checkpoint: string;
  /** The log's Ed25519 note verifier key (`<name>+<hash>+<base64>`), for checking in a browser. */
  readonly verifierKey?: string;
}

/** Everything the read API answers from, computed once per log size and cached. */
export interface ApiSnapshot {
  /** The evaluation instant of the report (the config's check date, or when it ran), ISO 8601 UTC. */
  readonly generatedAt: string;
  /** The wall-clock time the report was computed, ISO 8601 UTC. */
  readonly computedAt?: string;
  /**
   * Documents policy findings' evidence names by digest (the logged inventory's bytes, by hex
   * SHA-256), carried in the finding's evidence file.
   */
  readonly documents?: ReadonlyMap<string, Buffer>;
  /** Every recorded finding's history across check runs, by id (none without a finding store). */
  readonly histories?: ReadonlyMap<string, FindingHistory>;
  readonly findings: readonly Finding[];
  readonly devices: readonly DeviceRecord[];
  readonly vendors: readonly VendorRecord[];
  readonly releases: readonly ReleaseRecord[];
  readonly compliance: readonly PackCompliance[];
  readonly log: LogState;
  /**
   * Why nothing was checked, when the server has no check configuration (no config file naming
   * a log, inventory, flows, firmware, SBOMs or rule packs): the API then says so instead of an
   * empty report that reads as an all-clear. Absent when the engine ran.
   */
  readonly notChecked?: string | undefined;
}

/** The port the routes read their snapshot from (the engine's, cached, in production). */
export interface ApiSnapshotSource {
  snapshot(): Promise<ApiSnapshot>;
}

/** What each resource of the read API is handed. */
export interface ReadRouteOptions {
  readonly snapshots: ApiSnapshotSource;
  /** Finding history and triage; without one, no triage routes and no history. */
  readonly findingStore?: FindingStorePort | undefined;
  /** Who may write triage (a `triage` token); without them, triage is open as reads are. */
  readonly tokens?: AccessTokens | undefined;
}
