/**
 * Pure answers of the read API, computed from one snapshot: counts, filters, per-day history and
 * the joins behind the device, vendor and compliance pages. No I/O.
 */
import { vendorKey } from '../../inventory/vendor-identity.js';
import type { Finding } from '../../check/finding.js';
import type { DeviceRecord, ApiSnapshot, VendorRecord } from './api-snapshot.js';

/** Filters of `GET /v1/findings`; all optional, all must match. */
export interface FindingFilter {
  readonly kind?: string | undefined;
  readonly severity?: string | undefined;
  readonly device?: string | undefined;
  readonly vendor?: string | undefined;
  /** A day (`YYYY-MM-DD`) or an ISO 8601 instant. */
  readonly since?: string | undefined;
}

/** Findings by kind and by severity. */
export function countFindings(findings: readonly Finding[]): {
  byKind: Record<string, number>;
  bySeverity: Record<string, number>;
} {
  const byKind: Record<string, number> = {};
  const bySeverity: Record<string, number> = {};
  for (const finding of findings) {
    byKind[finding.kind] = (byKind[finding.kind] ?? 0) + 1;
    bySeverity[finding.severity] = (bySeverity[finding.severity] ?? 0) + 1;
  }
  return { byKind, bySeverity };
}

/** The findings a filter selects, most severe first then newest first (stable for equal keys). */
export function filterFindings(findings: readonly Finding[], filter: FindingFilter): Finding[] {
  const since = filter.since === undefined ? undefined : Date.parse(filter.since);
  return findings.filter(
    (f) =>
      (filter.kind === undefined || f.kind === filter.kind) &&
      (filter.severity === undefined || f.severity === filter.severity) &&
      (filter.device === undefined || f.subject.device === filter.device) &&
      (filter.vendor === undefined || f.subject.vendor === filter.vendor) &&
      (since === undefined || Date.parse(f.firstSeen) >= since),
  );
}

/** Findings by kind and severity per UTC day of `firstSeen`, oldest day first. */
export function findingHistory(findings: readonly Finding[]): {
  day: string;
  total: number;
  byKind: Record<string, number>;
  bySeverity: Record<string, number>;
}[] {
  const byDay = new Map<string, Finding[]>();
  for (const finding of findings) {
    const day = finding.firstSeen.slice(0, 10);
    const list = byDay.get(day);
    if (list === undefined) byDay.set(day, [finding]);
    else list.push(finding);
  }
  return [...byDay.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([day, list]) => ({ day, total: list.length, ...countFindings(list) }));
}

/**
 * A device's findings: those naming it, those about its image that name no device, and the
 * policy findings that list it as one of their items (a rule broken by the device's presence).
 */
export function deviceFindings(snapshot: ApiSnapshot, device: DeviceRecord): Finding[] {
  return snapshot.findings.filter(
    (f) =>
      f.subject.device === device.id ||
      (f.subject.device === undefined &&
        device.release !== undefined &&
        f.subject.release === device.release) ||
      f.evidence.some((e) => e.type === 'policy' && e.items.includes(device.id)),
  );
}

/**
 * The findings a device or vendor filter selects as the device and vendor pages count them
 * (any spelling of the vendor, a device's image and policy items); an id the report does not
 * know keeps the exact comparison of `filterFindings`.
 */
export function scopeFindings(
  snapshot: ApiSnapshot,
  filter: { readonly device?: string | undefined; readonly vendor?: string | undefined },
): { findings: readonly Finding[]; device?: string | undefined; vendor?: string | undefined } {
  let findings = snapshot.findings;
  let { device, vendor } = filter;
  const deviceRecord =
    device === undefined ? undefined : snapshot.devices.find((d) => d.id === device);
  if (deviceRecord !== undefined) {
    const own = new Set(deviceFindings(snapshot, deviceRecord));
    findings = findings.filter((f) => own.has(f));
    device = undefined;
  }
  const vendorRecord = vendor === undefined ? undefined : findVendor(snapshot, vendor);
  if (vendorRecord !== undefined) {
    const own = new Set(vendorFindings(snapshot, vendorRecord));
    findings = findings.filter((f) => own.has(f));
    vendor = undefined;
  }
  return { findings, device, vendor };
}

/** Every spelling of a vendor, compared by `vendorKey`. */
function vendorKeys(vendor: VendorRecord): Set<string> {
  return new Set([vendor.id, vendor.name, ...(vendor.aliases ?? [])].map(vendorKey));
}

/** The vendor an id or any spelling of its name names (`acme-networks`, `Acme Networks`). */
export function findVendor(snapshot: ApiSnapshot, id: string): VendorRecord | undefined {
  const key = vendorKey(id);
  return (
    snapshot.vendors.find((v) => v.id === id) ??
    snapshot.vendors.find((v) => vendorKeys(v).has(key))
  );
}

/**
 * A vendor's findings: those naming it (policy findings may name several, joined by ", "), or
 * one of its devices or releases, or listing one of its devices as a rule's item.
 */
export function vendorFindings(snapshot: ApiSnapshot, vendor: VendorRecord): Finding[] {
  const keys = vendorKeys(vendor);
  const devices = new Set(snapshot.devices.filter((d) => d.vendor === vendor.id).map((d) => d.id));
  const releases = new Set(
    snapshot.releases.filter((r) => r.vendor === vendor.id).map((r) => r.digest),
  );
  return snapshot.findings.filter(
    (f) =>
      (f.subject.vendor !== undefined &&
        f.subject.vendor.split(', ').some((name) => keys.has(vendorKey(name)))) ||
      (f.subject.device !== undefined && devices.has(f.subject.device)) ||
      (f.subject.release !== undefined && releases.has(f.subject.release)) ||
      f.evidence.some((e) => e.type === 'policy' && e.items.some((item) => devices.has(item))),
  );
}

/** The ids of the findings that break one clause of an agreement. */
export function clauseFindings(
  findings: readonly Finding[],
  agreement: number,
  clause: string,
): string[] {
  return findings
    .filter(
      (f) =>
        f.breaks.type === 'clause' &&
        f.breaks.agreement === agreement &&
        f.breaks.clause === clause,
    )
    .map((f) => f.id);
}

/** The findings that break a rule of one pack. */
export function packFindings(findings: readonly Finding[], pack: string): Finding[] {
  return findings.filter((f) => f.breaks.type === 'rule' && f.breaks.pack === pack);
}

/**
 * The firmware status told honestly: `logged-with-indicators` when a logged image carries
 * back-door indicators, `unscanned` when a logged image was never scanned; otherwise the verdict
 * (`logged`, `not-logged`, `unknown`).
 */
export function firmwareStatus(
  device: DeviceRecord,
  findings: readonly Finding[],
): 'logged' | 'logged-with-indicators' | 'unscanned' | 'not-logged' | 'unknown' {
  if (device.firmware !== 'logged') return device.firmware;
  if (findings.some((f) => f.kind === 'firmware-backdoor-indicator'))
    return 'logged-with-indicators';
  if (findings.some((f) => f.kind === 'firmware-unscanned')) return 'unscanned';
  return 'logged';
}
