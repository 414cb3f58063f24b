/**
 * The production `ApiSnapshotSource`: the check engine's evidence and report, joined into the
 * snapshot the read API serves. Pure apart from `engineSnapshotSource`, which runs the engine (once
 * per log size).
 */
import { createHash } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { vendorKey } from '../../inventory/vendor-identity.js';
import type { CheckEvidence } from '../../check/evidence.js';
import type { Report } from '../../check/report.js';
import { checkReport } from '../../check/report.js';
import { reportWithHistory } from '../../check/report-history.js';
import type { FindingStorePort } from '../../store/finding-store-port.js';
import { evaluationTime, gatherEvidence } from '../../check/gather/index.js';
import type { LoadedConfig } from '../../config/load.js';
import { errorText } from '../../errors/error-text.js';
import { notCheckedReason } from '../../config/check-configured.js';
import type { AppendableLog } from '../../log/appendable-log.js';
import { complianceOf, parseDateFlag, type ComplianceInputs } from '../../policy/from-files.js';
import { DEPLOYMENT_PREDICATE_TYPE } from '../../statements/predicates/deployment.js';
import { RELEASE_PREDICATE_TYPE } from '../../statements/predicates/release.js';
import type { NoteSigner } from '../../tlog/note-key.js';
import { CachedSnapshotSource } from './cached-snapshot-source.js';
import { complianceRecords } from './compliance-records.js';
import { countLegs, deviceRecord } from './device-records.js';
import { releaseRecords } from './release-records.js';
import {
  agreementRecord,
  canaryHistory,
  vendorCompliance,
  vendorId,
  vendorNames,
  type CheckedEvidence,
  type VendorNames,
} from './vendor-records.js';
import { ApiError } from './errors.js';
import type { DeviceRecord, LogState, ApiSnapshot, VendorRecord } from './api-snapshot.js';

/** What the snapshot joins beyond the engine's evidence and report. */
export interface SnapshotExtras {
  /** The rule packs' plan and share table (src/policy), when packs and an inventory are configured. */
  readonly compliance?: ComplianceInputs;
  /** When the log integrated each entry (UTC ms by log index), as far as the store knows. */
  readonly loggedTimes?: ReadonlyMap<number, number>;
}

/**
 * Joins evidence and report: devices from the inventory (firmware `logged` when a logged release
 * names the image, `not-logged` when none does, `unknown` when the inventory names no image) with
 * their traffic verdicts, grants and timeline; vendors however they are spelt, with their latest
 * agreement's clause status and canary history; compliance per pack.
 */
export function snapshotFromReport(
  evidence: CheckEvidence,
  report: Report,
  log: LogState,
  extras: SnapshotExtras = {},
): ApiSnapshot {
  const releases = releaseRecords(evidence, report, extras.loggedTimes);
  const names = vendorNames(evidence);
  const vendorOf = (name: string): VendorNames | undefined =>
    names.find((v) => v.keys.has(vendorKey(name)));
  const legs =
    evidence.flows === undefined
      ? undefined
      : countLegs(evidence.flows.devices, evidence.flows.records);
  const devices: DeviceRecord[] = (evidence.inventory ?? []).map((device) => {
    const vendor = vendorOf(device.vendor) ?? { id: vendorId(device.vendor), name: device.vendor };
    return deviceRecord(evidence, report, device, vendor, releases, legs);
  });
  const checked: CheckedEvidence = {
    flows: evidence.flows !== undefined,
    vulnerabilities: vulnerabilitiesChecked(evidence),
    deployments:
      evidence.inventory !== undefined ||
      evidence.statements.some((s) => s.statement.predicateType === DEPLOYMENT_PREDICATE_TYPE),
  };
  const packs = extras.compliance?.packs.map((p) => p.id) ?? [];
  const vendors: VendorRecord[] = names.map((v) => {
    const ownReleases = releases.filter((r) => v.keys.has(vendorKey(r.vendor)));
    const agreement = agreementRecord(evidence, report, v, checked, ownReleases);
    const own = new Set(devices.filter((d) => d.vendor === v.id).map((d) => d.id));
    const aliases = [...v.keys].filter((k) => k !== vendorKey(v.name));
    return {
      id: v.id,
      name: v.name,
      ...(aliases.length === 0 ? {} : { aliases }),
      ...(agreement === undefined ? {} : { agreement }),
      canary: canaryHistory(evidence, report, v),
      compliance: vendorCompliance(report, packs, v, own),
    };
  });
  return {
    generatedAt: report.evaluatedAt,
    findings: report.findings,
    devices,
    vendors,
    releases: releases.map((r) => ({ ...r, vendor: vendorOf(r.vendor)?.id ?? vendorId(r.vendor) })),
    compliance: extras.compliance === undefined ? [] : complianceRecords(extras.compliance),
    log,
  };
}

/**
 * Whether the engine matched SBOMs against OSV advisories, as the gatherer recorded it, or why
 * not. Evidence built by hand (without `sbomsMatched`) counts as matched when it lists matches.
 */
function vulnerabilitiesChecked(evidence: CheckEvidence): CheckedEvidence['vulnerabilities'] {
  const matched = evidence.sbomsMatched;
  if (matched === undefined) {
    return (evidence.vulnerabilities ?? []).length > 0
      ? true
      : 'no OSV advisories were given (check.osv) to match SBOMs against';
  }
  return matched.length > 0
    ? true
    : 'OSV advisories were given, but no SBOM to match: none configured (check.sboms) and none of the logged releases’ SBOMs is in the blob store';
}

/** What the read API serves without a check configuration: the log, and why nothing else. */
export function notCheckedSnapshot(log: LogState, reason: string, now = new Date()): ApiSnapshot {
  return {
    generatedAt: now.toISOString(),
    findings: [],
    devices: [],
    vendors: [],
    releases: [],
    compliance: [],
    log,
    notChecked: reason,
  };
}

/** The log head the read API shows: the sequencer's latest (cosigned when it is) checkpoint. */
export function publishedLogState(log: AppendableLog, signer: NoteSigner): () => LogState {
  return () => {
    const published = log.published;
    return {
      origin: signer.name,
      size: published.size,
      checkpoint: published.cosignedNote ?? published.note,
      verifierKey: signer.vkey,
    };
  };
}

/** When the log integrated each of these entries (LogStorePort.loggedTimes). */
export type LoggedTimes = (indexes: readonly number[]) => Promise<Map<number, number>>;

/**
 * A cached snapshot source that runs the engine on `loaded` whenever the log grew; with a finding
 * store, each run is recorded in the finding history and the findings shown through it.
 */
export function engineSnapshotSource(
  loaded: LoadedConfig,
  log: () => LogState,
  findingStore?: FindingStorePort,
  loggedTimes?: LoggedTimes,
): CachedSnapshotSource {
  const notChecked = notCheckedReason(loaded.config, loaded.file);
  return new CachedSnapshotSource(
    () => log().size,
    async () => {
      if (notChecked !== undefined) return notCheckedSnapshot(log(), notChecked);
      try {
        const now = evaluationTime(loaded, new Date());
        const evidence = await gatherEvidence(loaded, { now });
        const check = loaded.config.check;
        const base = loaded.file === undefined ? process.cwd() : dirname(resolve(loaded.file));
        const compliance =
          check.inventory === undefined || check.packs.length === 0
            ? undefined
            : await complianceOf(
                check.packs,
                resolve(base, check.inventory),
                parseDateFlag('check.date', now.toISOString().slice(0, 10)),
              );
        let report = checkReport(evidence, { now });
        let histories;
        if (findingStore !== undefined) {
          await findingStore.recordRun(report.evaluatedAt, report.findings);
          histories = await findingStore.histories();
          report = reportWithHistory(report, histories);
        }
        const releaseIndexes = evidence.statements
          .filter((s) => s.statement.predicateType === RELEASE_PREDICATE_TYPE)
          .map((s) => s.index);
        const snapshot = snapshotFromReport(evidence, report, log(), {
          ...(compliance === undefined ? {} : { compliance }),
          ...(loggedTimes === undefined ? {} : { loggedTimes: await loggedTimes(releaseIndexes) }),
        });
        const inventory = evidence.policyInput?.bytes;
        return {
          ...snapshot,
          computedAt: new Date().toISOString(),
          ...(inventory === undefined
            ? {}
            : {
                documents: new Map([
                  [createHash('sha256').update(inventory).digest('hex'), Buffer.from(inventory)],
                ]),
              }),
          ...(histories === undefined ? {} : { histories }),
        };
      } catch (error) {
        throw new ApiError(
          'API_REPORT_FAILED',
          `the check engine could not compute a report: ${errorText(error)}`,
          { cause: error },
        );
      }
    },
  );
}
