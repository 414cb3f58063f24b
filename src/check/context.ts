/**
 * The joins every rule needs: statements by predicate, agreements by vendor and clause, devices
 * by id, and the finding constructor (stable ids). Pure.
 */
import { createHash } from 'node:crypto';
import {
  AGREEMENT_PREDICATE_TYPE,
  type AgreementClause,
} from '../statements/predicates/agreement.js';
import type { Statement } from '../statements/statement.js';
import type { CheckEvidence, InventoryDevice, LoggedStatement } from './evidence.js';
import type {
  BrokenPromise,
  Evidence,
  Finding,
  FindingKind,
  FindingSubject,
  Severity,
} from './finding.js';
import { ACCESS_PREDICATE_TYPE } from '../statements/predicates/access.js';
import { CANARY_PREDICATE_TYPE } from '../statements/predicates/canary.js';
import { DEPLOYMENT_PREDICATE_TYPE } from '../statements/predicates/deployment.js';
import { RELEASE_PREDICATE_TYPE } from '../statements/predicates/release.js';
import { REBUILD_PREDICATE_TYPE } from '../statements/predicates/rebuild.js';

export type StatementOf<P extends Statement['predicateType']> = LoggedStatement & {
  readonly statement: Extract<Statement, { predicateType: P }>;
};

/** Vendor names compare without case, punctuation or spacing ("Acme Networks" = "acme-networks"). */
export function vendorKey(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** `sha256:<hex>` for a hex digest (already-prefixed digests pass through). */
export function digestRef(hex: string): string {
  return hex.startsWith('sha256:') ? hex : `sha256:${hex.toLowerCase()}`;
}

/** One day in milliseconds: the agreements' clauses count their windows in whole days. */
export const DAY_MS = 86_400_000;

/** Milliseconds since the epoch of an ISO date or date-time (a bare date is its start, UTC). */
export function instant(text: string): number {
  const t = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text);
  return Number.isNaN(t) ? 0 : t;
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** The evidence entry for a logged statement. */
export function statementEvidence(s: LoggedStatement): Evidence {
  return { type: 'statement', index: s.index, envelope: s.envelope, tlogProof: s.tlogProof };
}

export interface FindingDraft {
  readonly kind: FindingKind;
  readonly severity: Severity;
  readonly subject: FindingSubject;
  readonly breaks: BrokenPromise;
  /** What exactly is broken, beyond kind and subject (a remote endpoint, an indicator rule…). */
  readonly what: string;
  readonly firstSeen: number;
  readonly lastSeen: number;
  readonly explanation: string;
  readonly evidence: readonly Evidence[];
}

/** A finding with its stable id: SHA-256 of kind, subject and what is broken (first 16 hex). */
export function makeFinding(d: FindingDraft): Finding {
  const subject = [d.subject.device, d.subject.vendor, d.subject.release, d.subject.log]
    .map((v) => v ?? '')
    .join('\u0000');
  const id = createHash('sha256')
    .update(`${d.kind}\u0000${subject}\u0000${d.what}`)
    .digest('hex')
    .slice(0, 16);
  return {
    id: `${d.kind}:${id}`,
    kind: d.kind,
    severity: d.severity,
    subject: d.subject,
    breaks: d.breaks,
    firstSeen: iso(d.firstSeen),
    lastSeen: iso(d.lastSeen),
    explanation: d.explanation,
    evidence: d.evidence,
  };
}

/** The joined view of the evidence the rules share. */
export class CheckContext {
  readonly agreements: StatementOf<typeof AGREEMENT_PREDICATE_TYPE>[] = [];
  readonly releases: StatementOf<typeof RELEASE_PREDICATE_TYPE>[] = [];
  readonly grants: StatementOf<typeof ACCESS_PREDICATE_TYPE>[] = [];
  readonly deployments: StatementOf<typeof DEPLOYMENT_PREDICATE_TYPE>[] = [];
  readonly canaries: StatementOf<typeof CANARY_PREDICATE_TYPE>[] = [];
  readonly rebuilds: StatementOf<typeof REBUILD_PREDICATE_TYPE>[] = [];
  readonly devices = new Map<string, InventoryDevice>();
  /** Releases by the hex image digests they name (a release lookup per device must be O(1)). */
  readonly #releasesByDigest = new Map<string, StatementOf<typeof RELEASE_PREDICATE_TYPE>[]>();

  constructor(
    readonly evidence: CheckEvidence,
    readonly now: number,
  ) {
    for (const s of evidence.statements) {
      switch (s.statement.predicateType) {
        case AGREEMENT_PREDICATE_TYPE:
          this.agreements.push(s as StatementOf<typeof s.statement.predicateType>);
          break;
        case RELEASE_PREDICATE_TYPE:
          this.releases.push(s as StatementOf<typeof s.statement.predicateType>);
          break;
        case ACCESS_PREDICATE_TYPE:
          this.grants.push(s as StatementOf<typeof s.statement.predicateType>);
          break;
        case DEPLOYMENT_PREDICATE_TYPE:
          this.deployments.push(s as StatementOf<typeof s.statement.predicateType>);
          break;
        case CANARY_PREDICATE_TYPE:
          this.canaries.push(s as StatementOf<typeof s.statement.predicateType>);
          break;
        case REBUILD_PREDICATE_TYPE:
          this.rebuilds.push(s as StatementOf<typeof s.statement.predicateType>);
          break;
      }
    }
    for (const d of evidence.inventory ?? []) this.devices.set(d.id, d);
    for (const r of this.releases) {
      for (const s of r.statement.subject) {
        const list = this.#releasesByDigest.get(s.digest.sha256) ?? [];
        if (!list.includes(r)) list.push(r);
        this.#releasesByDigest.set(s.digest.sha256, list);
      }
    }
  }

  /**
   * The vendor's agreement in force at `now` carrying the clause (the latest logged one when
   * several do), with the clause's parameters.
   */
  clauseOf<C extends AgreementClause['clause']>(
    vendor: string,
    clause: C,
  ): { agreement: LoggedStatement; clause: Extract<AgreementClause, { clause: C }> } | undefined {
    const key = vendorKey(vendor);
    let found:
      { agreement: LoggedStatement; clause: Extract<AgreementClause, { clause: C }> } | undefined;
    for (const a of this.agreements) {
      const p = a.statement.predicate;
      if (vendorKey(p.parties.vendor.name) !== key) continue;
      if (instant(p.validity.from) > this.now) continue;
      const c = p.clauses.find((x) => x.clause === clause);
      if (c !== undefined) {
        found = { agreement: a, clause: c as Extract<AgreementClause, { clause: C }> };
      }
    }
    return found;
  }

  /** Any agreement of the vendor (for findings that break the promise as a whole). */
  agreementOf(vendor: string): LoggedStatement | undefined {
    const key = vendorKey(vendor);
    return this.agreements.findLast(
      (a) => vendorKey(a.statement.predicate.parties.vendor.name) === key,
    );
  }

  /** The vendor of a device: the inventory's, else the latest deployment statement's. */
  vendorOfDevice(device: string): string | undefined {
    const inv = this.devices.get(device);
    if (inv !== undefined) return inv.vendor;
    return this.deployments.findLast((d) => d.statement.predicate.device.id === device)?.statement
      .predicate.device.vendor;
  }

  /** Logged releases naming the digest (hex or `sha256:` form). */
  releasesNaming(digest: string): StatementOf<typeof RELEASE_PREDICATE_TYPE>[] {
    const hex = digestRef(digest).slice('sha256:'.length);
    return this.#releasesByDigest.get(hex) ?? [];
  }
}
