/**
 * Devices as the read API reports them: release and firmware verdict, MUD file, traffic verdicts
 * per remote endpoint, access grants and a timeline. Pure: evidence and report in, records out.
 */
import type { CheckEvidence, InventoryDevice } from '../../check/evidence.js';
import type { Finding } from '../../check/finding.js';
import type { Report } from '../../check/report.js';
import type { FlowRecord } from '../../flows/flow-record.js';
import { ACCESS_PREDICATE_TYPE } from '../../statements/predicates/access.js';
import { DEPLOYMENT_PREDICATE_TYPE } from '../../statements/predicates/deployment.js';
import { RELEASE_PREDICATE_TYPE } from '../../statements/predicates/release.js';
import type {
  AccessGrant,
  DeviceRecord,
  ReleaseRecord,
  TimelineEvent,
  TrafficCounts,
  TrafficVerdict,
} from './api-snapshot.js';

/** Per device and remote endpoint, how many flow records (device legs) were seen. */
export type LegCounts = ReadonlyMap<string, ReadonlyMap<string, number>>;

/**
 * Counts each device's flow legs by remote endpoint, the way the behaviour check attributes them
 * (src/mud/behaviour.ts: a record touching two devices is a leg of each, by exact address).
 */
export function countLegs(
  devices: readonly { readonly id: string; readonly addresses: readonly string[] }[],
  records: Iterable<FlowRecord>,
): LegCounts {
  const byAddress = new Map<string, string>();
  for (const d of devices) for (const a of d.addresses) byAddress.set(a, d.id);
  const counts = new Map<string, Map<string, number>>();
  const add = (device: string, remote: string): void => {
    let byRemote = counts.get(device);
    if (byRemote === undefined) {
      byRemote = new Map();
      counts.set(device, byRemote);
    }
    byRemote.set(remote, (byRemote.get(remote) ?? 0) + 1);
  };
  for (const r of records) {
    const source = byAddress.get(r.src);
    const destination = byAddress.get(r.dst);
    if (source !== undefined) add(source, r.dst);
    if (destination !== undefined) add(destination, r.src);
  }
  return counts;
}

const PROTOCOLS: Readonly<Record<number, string>> = { 1: 'icmp', 6: 'tcp', 17: 'udp', 58: 'icmp' };

/**
 * The remote endpoint and service of a behaviour finding, from its flow samples: the sample's
 * other end than the device, and its destination port (the service the device called, or the
 * device's port a remote reached).
 */
function violationOf(
  finding: Finding,
  addresses: ReadonlySet<string>,
): { remote: string; service?: string; flows: number } | undefined {
  for (const e of finding.evidence) {
    if (e.type !== 'flows') continue;
    const sample = e.records[0];
    if (sample === undefined) continue;
    const src = typeof sample['src'] === 'string' ? sample['src'] : '';
    const dst = typeof sample['dst'] === 'string' ? sample['dst'] : '';
    const remote = addresses.has(src) ? dst : src;
    const proto = Number(sample['proto']);
    const port = Number(sample['dport']);
    const name = PROTOCOLS[proto] ?? `proto ${String(proto)}`;
    return {
      remote,
      ...(Number.isFinite(port) ? { service: `${name}/${String(port)}` } : {}),
      flows: e.total.records,
    };
  }
  return undefined;
}

/** Traffic verdicts of one device: one row per violation, then one per remote allowed. */
export function trafficOf(
  device: string,
  addresses: readonly string[],
  legs: LegCounts,
  findings: readonly Finding[],
): { traffic: TrafficVerdict[]; counts: TrafficCounts; allowed: string[] } {
  const own = new Set(addresses);
  const remaining = new Map(legs.get(device) ?? []);
  const traffic: TrafficVerdict[] = [];
  let violations = 0;
  for (const f of findings) {
    if (f.subject.device !== device) continue;
    if (f.kind !== 'undeclared-traffic' && f.kind !== 'unapproved-access') continue;
    const v = violationOf(f, own);
    if (v === undefined) continue;
    violations += v.flows;
    remaining.set(v.remote, (remaining.get(v.remote) ?? 0) - v.flows);
    traffic.push({
      destination: v.remote,
      ...(v.service === undefined ? {} : { service: v.service }),
      verdict: f.kind === 'undeclared-traffic' ? 'undeclared' : 'unapproved-access',
      flows: v.flows,
      finding: f.id,
    });
  }
  const allowed = [...remaining.entries()]
    .filter(([, n]) => n > 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [remote, flows] of allowed) {
    traffic.push({ destination: remote, verdict: 'allowed', flows });
  }
  return {
    traffic,
    counts: { allowed: allowed.reduce((n, [, flows]) => n + flows, 0), violations },
    allowed: allowed.map(([remote]) => remote),
  };
}

/** The logged access grants naming the device. */
export function grantsOf(evidence: CheckEvidence, device: string): AccessGrant[] {
  const grants: AccessGrant[] = [];
  for (const s of evidence.statements) {
    const st = s.statement;
    if (st.predicateType !== ACCESS_PREDICATE_TYPE || !st.predicate.devices.includes(device))
      continue;
    const p = st.predicate;
    const scope = p.services
      .map(
        (service) =>
          `${service.name ?? service.protocol} (${service.protocol}/${service.ports
            .map((port) =>
              typeof port === 'number' ? String(port) : `${String(port.from)}-${String(port.to)}`,
            )
            .join(',')})`,
      )
      .join(', ');
    grants.push({
      grantee: p.vendor,
      scope,
      from: p.window.from,
      until: p.window.until,
      statement: s.index,
      grantId: p.grantId,
      sources: p.sourceNetworks,
    });
  }
  return grants;
}

/** The device's history: deployments, its release, grants, findings; oldest first. */
export function timelineOf(
  evidence: CheckEvidence,
  device: string,
  release: ReleaseRecord | undefined,
  findings: readonly Finding[],
): TimelineEvent[] {
  const events: TimelineEvent[] = [];
  if (release !== undefined) {
    events.push({
      at: release.releasedAt,
      event: `release ${release.version} released (log entry ${String(release.index)})`,
      ref: String(release.index),
    });
    if (release.loggedAt !== undefined) {
      events.push({
        at: release.loggedAt,
        event: `release ${release.version} logged (log entry ${String(release.index)})`,
        ref: String(release.index),
      });
    }
  }
  for (const s of evidence.statements) {
    const st = s.statement;
    if (st.predicateType === DEPLOYMENT_PREDICATE_TYPE && st.predicate.device.id === device) {
      const digest = st.subject[0]?.digest.sha256 ?? '';
      events.push({
        at: st.predicate.observedAt,
        event: `observed running sha256:${digest.slice(0, 12)}… (deployment, log entry ${String(s.index)})`,
        ref: String(s.index),
      });
    }
    if (st.predicateType === ACCESS_PREDICATE_TYPE && st.predicate.devices.includes(device)) {
      events.push({
        at: st.predicate.window.from,
        event: `access grant ${st.predicate.grantId} for ${st.predicate.vendor} opens (log entry ${String(s.index)})`,
        ref: String(s.index),
      });
    }
  }
  for (const f of findings) events.push({ at: f.firstSeen, event: f.explanation, ref: f.id });
  return events.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

/** A device's findings: those naming it, and those about its image that name no device. */
export function findingsOfDevice(
  report: Report,
  device: string,
  release: string | undefined,
): Finding[] {
  return report.findings.filter(
    (f) =>
      f.subject.device === device ||
      (f.subject.device === undefined && release !== undefined && f.subject.release === release),
  );
}

/** One device's record (vendor given as its id). */
export function deviceRecord(
  evidence: CheckEvidence,
  report: Report,
  device: InventoryDevice,
  vendor: { readonly id: string; readonly name: string },
  releases: readonly ReleaseRecord[],
  legs: LegCounts | undefined,
): DeviceRecord {
  const digest = device.firmware === undefined ? undefined : `sha256:${device.firmware.sha256}`;
  const release = releases.find((r) => r.digest === digest);
  const findings = findingsOfDevice(report, device.id, digest);
  const mapped = evidence.flows?.devices.find((d) => d.id === device.id);
  const traffic =
    legs === undefined || mapped === undefined
      ? undefined
      : trafficOf(device.id, mapped.addresses, legs, report.findings);
  const releaseStatement = evidence.statements.find((s) => s.index === release?.index)?.statement;
  const mud =
    releaseStatement?.predicateType === RELEASE_PREDICATE_TYPE
      ? {
          url: releaseStatement.predicate.mud.url,
          digest: `sha256:${releaseStatement.predicate.mud.digest.sha256}`,
          allowed: traffic?.allowed ?? [],
        }
      : mapped === undefined
        ? undefined
        : { url: mapped.matcher.mudUrl, allowed: traffic?.allowed ?? [] };
  return {
    id: device.id,
    vendor: vendor.id,
    ...(vendor.name === vendor.id ? {} : { vendorName: vendor.name }),
    ...(device.model === undefined ? {} : { model: device.model }),
    ...(digest === undefined ? {} : { release: digest }),
    firmware: digest === undefined ? 'unknown' : release !== undefined ? 'logged' : 'not-logged',
    ...(mud === undefined ? {} : { mud }),
    traffic: traffic?.traffic ?? [],
    ...(traffic === undefined ? {} : { trafficCounts: traffic.counts }),
    accessGrants: grantsOf(evidence, device.id),
    timeline: timelineOf(evidence, device.id, release, findings),
  };
}
