/**
 * The production `ProductView`: the check engine's evidence and report, joined into the snapshot the
 * read API serves. Pure apart from `engineView`, which runs the engine (once per log size).
 */
import type { CheckEvidence } from '../../check/evidence.js';
import type { Report } from '../../check/report.js';
import { checkReport } from '../../check/report.js';
import { evaluationTime, gatherEvidence } from '../../check/gather/index.js';
import type { LoadedConfig } from '../../config/load.js';
import { RELEASE_PREDICATE_TYPE } from '../../statements/predicates/release.js';
import { CachedView } from './cached-view.js';
import { ApiError } from './errors.js';
import type {
  DeviceRecord,
  LogState,
  ProductSnapshot,
  ReleaseRecord,
  VendorRecord,
} from './view.js';

/** Releases from the logged release statements: one per subject image. */
export function releasesOf(evidence: CheckEvidence): ReleaseRecord[] {
  const releases: ReleaseRecord[] = [];
  for (const logged of evidence.statements) {
    const statement = logged.statement;
    if (statement.predicateType !== RELEASE_PREDICATE_TYPE) continue;
    for (const subject of statement.subject) {
      releases.push({
        digest: `sha256:${subject.digest.sha256}`,
        vendor: statement.predicate.vendor,
        version: statement.predicate.version,
        index: logged.index,
        loggedAt: statement.predicate.releasedAt,
      });
    }
  }
  return releases;
}

/**
 * Joins evidence and report: devices from the inventory (firmware `logged` when a logged release
 * names the image, `not-logged` when none does, `unknown` when the inventory names no image),
 * vendors from the inventory and the releases, each device's findings as its timeline. Traffic
 * verdicts, grants, agreement clauses, canaries and compliance shares are not derived yet.
 */
export function snapshotFromReport(
  evidence: CheckEvidence,
  report: Report,
  log: LogState,
): ProductSnapshot {
  const releases = releasesOf(evidence);
  const logged = new Set(releases.map((r) => r.digest));
  const devices: DeviceRecord[] = (evidence.inventory ?? []).map((device) => {
    const release = device.firmware === undefined ? undefined : `sha256:${device.firmware.sha256}`;
    return {
      id: device.id,
      vendor: device.vendor,
      ...(device.model === undefined ? {} : { model: device.model }),
      ...(release === undefined ? {} : { release }),
      firmware: release === undefined ? 'unknown' : logged.has(release) ? 'logged' : 'not-logged',
      traffic: [],
      accessGrants: [],
      timeline: report.findings
        .filter((f) => f.subject.device === device.id)
        .map((f) => ({ at: f.firstSeen, event: f.explanation, ref: f.id })),
    };
  });
  const vendorIds = [
    ...new Set([...devices.map((d) => d.vendor), ...releases.map((r) => r.vendor)]),
  ];
  const vendors: VendorRecord[] = vendorIds.sort().map((id) => ({
    id,
    name: id,
    canary: [],
    compliance: [],
  }));
  return {
    generatedAt: report.evaluatedAt,
    findings: report.findings,
    devices,
    vendors,
    releases,
    compliance: [],
    log,
  };
}

/** A cached view that runs the engine on `loaded` whenever the log grew. */
export function engineView(loaded: LoadedConfig, log: () => LogState): CachedView {
  return new CachedView(
    () => log().size,
    async () => {
      try {
        const now = evaluationTime(loaded, new Date());
        const evidence = await gatherEvidence(loaded, { now });
        return snapshotFromReport(evidence, checkReport(evidence, { now }), log());
      } catch (error) {
        throw new ApiError(
          'API_REPORT_FAILED',
          `the check engine could not compute a report: ${error instanceof Error ? error.message : String(error)}`,
          { cause: error },
        );
      }
    },
  );
}
