/**
 * The index of the evidence every rule reads: statements by predicate, releases by image digest,
 * agreements by vendor and clause, devices by id. Pure.
 */
import {
  AGREEMENT_PREDICATE_TYPE,
  type AgreementClause,
} from '../statements/predicates/agreement.js';
import { ACCESS_PREDICATE_TYPE } from '../statements/predicates/access.js';
import { CANARY_PREDICATE_TYPE } from '../statements/predicates/canary.js';
import { DEPLOYMENT_PREDICATE_TYPE } from '../statements/predicates/deployment.js';
import { REBUILD_PREDICATE_TYPE } from '../statements/predicates/rebuild.js';
import { INVENTORY_PREDICATE_TYPE } from '../statements/predicates/inventory.js';
import { RELEASE_PREDICATE_TYPE } from '../statements/predicates/release.js';
import type { Statement } from '../statements/statement.js';
import type { CheckEvidence, InventoryDevice, LoggedStatement } from './evidence.js';
import { digestRef, instant } from './normalise.js';
import { vendorKey } from '../inventory/vendor-identity.js';

export type StatementOf<P extends Statement['predicateType']> = LoggedStatement & {
  readonly statement: Extract<Statement, { predicateType: P }>;
};

/**
 * The evidence indexed for the rules: logged statements by predicate, releases by the image
 * digests they name, agreements by vendor and clause, inventory devices by id. Built once per
 * check; every rule reads it.
 */
export class EvidenceIndex {
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
        case INVENTORY_PREDICATE_TYPE:
          // An operator's logged inventory is the policy stage's basis, not a rule's evidence.
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

  /**
   * The vendors of the devices seen running the image (hex or `sha256:` form): each inventory
   * device recording it and each deployment statement observing it, one name per vendor, in the
   * order first met. An image no release names is its runners' vendors' responsibility.
   */
  vendorsRunning(digest: string): string[] {
    const ref = digestRef(digest);
    const vendors = new Map<string, string>();
    const add = (name: string | undefined): void => {
      if (name === undefined) return;
      const key = vendorKey(name);
      if (key !== '' && !vendors.has(key)) vendors.set(key, name);
    };
    for (const d of this.devices.values()) {
      if (d.firmware !== undefined && digestRef(d.firmware.sha256) === ref) add(d.vendor);
    }
    for (const d of this.deployments) {
      const p = d.statement.predicate;
      if (!d.statement.subject.some((s) => digestRef(s.digest.sha256) === ref)) continue;
      add(p.device.vendor ?? this.devices.get(p.device.id)?.vendor);
    }
    return [...vendors.values()];
  }

  /**
   * Who runs the image (hex or `sha256:` form) and since when: the devices of the inventory and
   * of deployment statements recording it, sorted, and the earliest deployment observation
   * (undefined when only the inventory, which carries no date, records it).
   */
  runningImage(digest: string): { devices: string[]; since: number | undefined } {
    const ref = digestRef(digest);
    const devices = new Set<string>();
    let since: number | undefined;
    for (const d of this.devices.values()) {
      if (d.firmware !== undefined && digestRef(d.firmware.sha256) === ref) devices.add(d.id);
    }
    for (const d of this.deployments) {
      if (!d.statement.subject.some((s) => digestRef(s.digest.sha256) === ref)) continue;
      devices.add(d.statement.predicate.device.id);
      const at = instant(d.statement.predicate.observedAt);
      if (since === undefined || at < since) since = at;
    }
    return { devices: [...devices].sort(), since };
  }

  /** Logged releases naming the digest (hex or `sha256:` form). */
  releasesNaming(digest: string): StatementOf<typeof RELEASE_PREDICATE_TYPE>[] {
    const hex = digestRef(digest).slice('sha256:'.length);
    return this.#releasesByDigest.get(hex) ?? [];
  }
}
