/**
 * What the REST read API reads: a `ProductView`, an adapter over the check engine's report and the
 * log's statements. The routes only read snapshots, so they are tested with a hand-built view and
 * served from the engine's report in production (`src/server/api/report-view.ts`).
 */
import type { Finding } from '../../check/finding.js';

/** Whether a device runs a release the log knows. */
export type FirmwareVerdict = 'logged' | 'not-logged' | 'unknown';

/** One destination a device talked to, judged against its MUD file. */
export interface TrafficVerdict {
  readonly destination: string;
  readonly verdict: 'allowed' | 'undeclared';
  readonly flows: number;
}

/** A logged access grant (who may reach a device, for what, until when). */
export interface AccessGrant {
  readonly grantee: string;
  readonly scope: string;
  readonly until?: string;
  readonly statement?: number;
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
  readonly vendor: string;
  readonly model?: string;
  /** The release's image digest, `sha256:<hex>`, when the inventory names one. */
  readonly release?: string;
  readonly firmware: FirmwareVerdict;
  readonly mud?: { readonly url?: string; readonly allowed: readonly string[] };
  readonly traffic: readonly TrafficVerdict[];
  readonly accessGrants: readonly AccessGrant[];
  readonly timeline: readonly TimelineEvent[];
}

export type ClauseStatus = 'kept' | 'broken';

export interface AgreementRecord {
  /** The agreement statement's log index. */
  readonly index: number;
  readonly clauses: readonly { readonly id: string; readonly status: ClauseStatus }[];
}

export interface ReleaseRecord {
  readonly digest: string;
  readonly vendor: string;
  readonly version: string;
  /** Log index of the release statement. */
  readonly index: number;
  readonly loggedAt: string;
}

export interface VendorRecord {
  readonly id: string;
  readonly name: string;
  readonly agreement?: AgreementRecord;
  readonly canary: readonly { readonly at: string; readonly status: 'fresh' | 'lapsed' }[];
  readonly compliance: readonly { readonly pack: string; readonly status: 'pass' | 'fail' }[];
}

/** A vendor's share of the devices in one network domain, against the pack's cap. */
export interface DomainShares {
  readonly domain: string;
  /** The pack's cap on one vendor's share (0..1). */
  readonly cap: number;
  readonly shares: readonly { readonly vendor: string; readonly share: number }[];
}

export interface PackCompliance {
  readonly pack: string;
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
export interface ProductSnapshot {
  /** When the report was computed, ISO 8601 UTC. */
  readonly generatedAt: string;
  readonly findings: readonly Finding[];
  readonly devices: readonly DeviceRecord[];
  readonly vendors: readonly VendorRecord[];
  readonly releases: readonly ReleaseRecord[];
  readonly compliance: readonly PackCompliance[];
  readonly log: LogState;
}

/** The adapter the routes read. */
export interface ProductView {
  snapshot(): Promise<ProductSnapshot>;
}
