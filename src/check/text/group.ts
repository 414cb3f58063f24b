/**
 * Findings grouped the way an analyst walks an estate: by vendor, then by the device (or
 * release) each concerns. A policy violation is placed under the inventory items it names, each
 * under its own vendor, so one finding may appear under several vendors; a finding about no
 * vendor (a log that signed two histories) is the estate's. Pure.
 */
import { vendorKey } from '../../inventory/vendor-identity.js';
import type { InventoryDevice } from '../evidence.js';
import { SEVERITIES, type Finding, type Severity } from '../finding.js';

/** Where, inside a vendor (or the estate), a finding belongs. */
export type Place =
  /** About the vendor as a whole: its agreement, its canaries. */
  | { readonly type: 'vendor-wide' }
  /** About one release (its image), with the inventory's devices that run it. */
  | { readonly type: 'release'; readonly digest: string; readonly runBy: readonly string[] }
  /** About these devices (inventory items): one, or the items of a rule a policy breaks. */
  | { readonly type: 'devices'; readonly ids: readonly string[] }
  /** About a log itself (its origin). */
  | { readonly type: 'log'; readonly origin: string }
  /** About the estate, with nothing narrower to name. */
  | { readonly type: 'estate-wide' };

export interface PlaceGroup {
  readonly place: Place;
  /** In the report's order: severity, kind, id. */
  readonly findings: readonly Finding[];
}

export interface VendorGroup {
  /** The vendor's name as first seen; undefined for the estate's findings. */
  readonly vendor: string | undefined;
  readonly places: readonly PlaceGroup[];
  /** Distinct findings in the group. */
  readonly count: number;
  readonly worst: Severity;
}

const RANK = new Map<Severity, number>(SEVERITIES.map((s, i) => [s, i]));
const rank = (s: Severity): number => RANK.get(s) ?? SEVERITIES.length;

/** Ids compared as people count: ran-s2 before ran-s10. */
const natural = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

interface Placement {
  readonly vendor: string | undefined;
  readonly place: Place;
}

function policyItems(finding: Finding): readonly string[] {
  return finding.evidence.flatMap((e) => (e.type === 'policy' ? e.items : []));
}

/** Where one finding goes: one placement, or one per vendor of a policy's items. */
function placementsOf(
  finding: Finding,
  devices: ReadonlyMap<string, InventoryDevice>,
  runners: ReadonlyMap<string, readonly string[]>,
): Placement[] {
  const { subject } = finding;
  if (subject.device !== undefined) {
    const vendor = subject.vendor ?? devices.get(subject.device)?.vendor;
    return [{ vendor, place: { type: 'devices', ids: [subject.device] } }];
  }
  const items = policyItems(finding);
  if (items.length > 0) {
    const byVendor = new Map<string, { vendor: string | undefined; ids: string[] }>();
    for (const id of items) {
      const vendor = devices.get(id)?.vendor ?? subject.vendor;
      const key = vendor === undefined ? '' : vendorKey(vendor);
      const group = byVendor.get(key) ?? { vendor, ids: [] };
      group.ids.push(id);
      byVendor.set(key, group);
    }
    return [...byVendor.values()].map(({ vendor, ids }) => ({
      vendor,
      place: { type: 'devices', ids: [...ids].sort(natural.compare) },
    }));
  }
  if (subject.release !== undefined) {
    const runBy = runners.get(subject.release.replace(/^sha256:/, '').toLowerCase()) ?? [];
    return [{ vendor: subject.vendor, place: { type: 'release', digest: subject.release, runBy } }];
  }
  if (subject.vendor !== undefined)
    return [{ vendor: subject.vendor, place: { type: 'vendor-wide' } }];
  if (subject.log !== undefined && finding.breaks.type === 'log') {
    return [{ vendor: undefined, place: { type: 'log', origin: subject.log } }];
  }
  return [{ vendor: undefined, place: { type: 'estate-wide' } }];
}

function placeKey(place: Place): string {
  switch (place.type) {
    case 'vendor-wide':
    case 'estate-wide':
      return place.type;
    case 'release':
      return `release ${place.digest}`;
    case 'devices':
      return `devices ${place.ids.join(' ')}`;
    case 'log':
      return `log ${place.origin}`;
  }
}

/** The whole comes before its parts: vendor-wide, then releases, then devices, each by name. */
function placeOrder(a: PlaceGroup, b: PlaceGroup): number {
  const order = (p: Place): number => (p.type === 'release' ? 1 : p.type === 'devices' ? 2 : 0);
  return order(a.place) - order(b.place) || natural.compare(placeKey(a.place), placeKey(b.place));
}

/**
 * `findings` grouped by vendor (the worst severity first, then by name, the estate before a
 * vendor of the same severity) and, inside each, by place. `devices` (the inventory) says which
 * vendor a policy's items belong to and which devices run a release.
 */
export function groupFindings(
  findings: readonly Finding[],
  devices: readonly InventoryDevice[] = [],
): VendorGroup[] {
  const byId = new Map(devices.map((d) => [d.id, d]));
  const runners = new Map<string, string[]>();
  for (const d of devices) {
    if (d.firmware === undefined) continue;
    const hex = d.firmware.sha256.toLowerCase();
    runners.set(hex, [...(runners.get(hex) ?? []), d.id].sort(natural.compare));
  }
  const vendors = new Map<
    string,
    { vendor: string | undefined; places: Map<string, PlaceGroup>; ids: Set<string> }
  >();
  for (const finding of findings) {
    for (const { vendor, place } of placementsOf(finding, byId, runners)) {
      const key = vendor === undefined ? '' : `v:${vendorKey(vendor)}`;
      const group = vendors.get(key) ?? {
        vendor,
        places: new Map<string, PlaceGroup>(),
        ids: new Set<string>(),
      };
      vendors.set(key, group);
      const pk = placeKey(place);
      const at: PlaceGroup = group.places.get(pk) ?? { place, findings: [] };
      if (!at.findings.some((f) => f.id === finding.id)) {
        group.places.set(pk, { place, findings: [...at.findings, finding] });
      }
      group.ids.add(finding.id);
    }
  }
  const groups = [...vendors.values()].map((g): VendorGroup => {
    const all = [...g.places.values()].flatMap((p) => p.findings);
    const worst = all.reduce<Severity>(
      (w, f) => (rank(f.severity) < rank(w) ? f.severity : w),
      'info',
    );
    return {
      vendor: g.vendor,
      places: [...g.places.values()].sort(placeOrder),
      count: g.ids.size,
      worst,
    };
  });
  return groups.sort(
    (a, b) =>
      rank(a.worst) - rank(b.worst) ||
      (a.vendor === undefined ? -1 : 0) - (b.vendor === undefined ? -1 : 0) ||
      natural.compare(a.vendor ?? '', b.vendor ?? ''),
  );
}
