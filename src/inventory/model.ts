import type { Day } from './day.js';

/**
 * Network domains an item sits in. "Operational" means every domain except `spare` and `lab`
 * (nospy policy reference §5). A sensitive site is not a domain: it is a property of the site.
 */
export const DOMAINS = [
  'core',
  'ran',
  'access',
  'transport',
  'management',
  'security',
  'interconnect',
  'cpe',
  'physical-security',
  'enterprise-it',
  'spare',
  'lab',
] as const;
export type Domain = (typeof DOMAINS)[number];

/** Domains a rule looks at when it names none: everything that carries live service. */
export const OPERATIONAL_DOMAINS: readonly Domain[] = DOMAINS.filter(
  (d) => d !== 'spare' && d !== 'lab',
);

export const ITEM_KINDS = ['equipment', 'service', 'software'] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];

/** Access and transport technologies; multi-mode kit lists several. */
export const TECHNOLOGIES = [
  '2G',
  '3G',
  '4G',
  '5G',
  'FTTP',
  'FTTC',
  'DSL',
  'DOCSIS',
  'DWDM',
  'OTN',
  'SDH',
  'IP',
  'MPLS',
  'microwave',
  'satellite',
  'Wi-Fi',
  'TETRA',
  'DMR',
  'CCTV',
] as const;
export type Technology = (typeof TECHNOLOGIES)[number];

export const TRANSMISSION_CLASSES = [
  'intra-core',
  'inter-operator',
  'aggregation',
  'backhaul',
] as const;
export type TransmissionClass = (typeof TRANSMISSION_CLASSES)[number];

export const SERVICE_TYPES = [
  'managed-service',
  'transit',
  'backhaul',
  'roaming',
  'interconnection',
] as const;
export type ServiceType = (typeof SERVICE_TYPES)[number];

export const EVENT_TYPES = ['usf_spend', 'government_supply'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** One entry of a domain history: the item sat in `domain` from `from` until the next entry. */
export interface DomainSpan {
  readonly domain: Domain;
  readonly from: Day;
}

/** A part inside an item made by another vendor (a SoC in a third-party camera). */
export interface Component {
  readonly vendor: string;
  readonly part?: string;
}

/** Something that happened to an item: a subsidy spent on it, a supply to a government agency. */
export interface ItemEvent {
  readonly type: EventType;
  readonly date: Day;
}

/**
 * A government authorisation, notification or waiver on record: the French Prime Minister's
 * authorisation to operate a 5G radio device (CPCE art. L. 34-11), an Italian golden-power
 * notification, India's trusted-product designation, a s.889(d) waiver. `scheme` names the
 * process (as packs name it), `id` the authority's reference; `granted` and `expires` are the
 * first and last day it is valid (either may be unknown).
 */
export interface Authorisation {
  readonly scheme: string;
  readonly id: string;
  readonly granted?: Day;
  readonly expires?: Day;
}

/** Whether `record` is in force on `day`: granted on or before it, and not expired before it. */
export function authorisationValid(record: Authorisation, day: Day): boolean {
  return (
    (record.granted === undefined || record.granted <= day) &&
    (record.expires === undefined || day <= record.expires)
  );
}

/** The firmware image the item runs, by digest. */
export interface Firmware {
  readonly sha256: string;
  readonly version?: string;
}

/**
 * One device, service or piece of software in the operator's network. Every field is always
 * present (undefined when unknown), so that all items share one shape and the evaluator's hot
 * loops stay monomorphic.
 */
export interface InventoryItem {
  readonly id: string;
  readonly kind: ItemKind;
  /** The vendor as the operator recorded it, before identity resolution. */
  readonly vendor: string;
  readonly model: string | undefined;
  readonly components: readonly Component[];
  readonly site: string | undefined;
  /** Domain history sorted by `from`; a fixed domain is one span from the beginning of time. */
  readonly domains: readonly DomainSpan[];
  readonly technology: readonly Technology[];
  readonly procured: Day | undefined;
  /** First day in service. */
  readonly installed: Day | undefined;
  /** First day NOT in service (undefined: still in service). */
  readonly removed: Day | undefined;
  readonly purpose: string | undefined;
  readonly canRouteOrViewUserData: boolean;
  readonly sanctionsAffected: boolean;
  readonly transmissionClass: TransmissionClass | undefined;
  readonly manages: readonly Domain[];
  readonly serviceType: ServiceType | undefined;
  readonly premisesServed: number | undefined;
  readonly trafficGbPerDay: number | undefined;
  readonly category: string | undefined;
  /** ISO 3166-1 alpha-2 country of production. */
  readonly producedIn: string | undefined;
  readonly events: readonly ItemEvent[];
  /** Authorisations and notifications the item carries (most items: none). */
  readonly authorisations: readonly Authorisation[];
  /** IP addresses and CIDR prefixes the item uses, for the flow checks. */
  readonly addresses: readonly string[];
  readonly firmware: Firmware | undefined;
}

export interface Site {
  readonly id: string;
  readonly name?: string;
  /** A site significant to national security (nuclear, military, government). */
  readonly sensitive: boolean;
}

export interface Reimbursement {
  readonly participant: boolean;
  readonly initialDisbursement?: Day;
  readonly extensions: readonly Day[];
}

export interface Operator {
  readonly id: string;
  readonly name?: string;
  /** ISO 3166-1 alpha-2. */
  readonly country?: string;
  readonly usFederalContractor: boolean;
  readonly usfRecipient: boolean;
  readonly reimbursement?: Reimbursement;
  /** Authorisations and waivers granted to the operator itself (a s.889(d) waiver). */
  readonly authorisations?: readonly Authorisation[];
}

/** The operator's whole inventory. */
export interface Inventory {
  readonly operator: Operator;
  readonly sites: ReadonlyMap<string, Site>;
  readonly items: readonly InventoryItem[];
}

/** The domain an item sits in on `day` (undefined before its first span). */
export function domainAt(item: InventoryItem, day: Day): Domain | undefined {
  const spans = item.domains;
  let found: Domain | undefined;
  for (const span of spans) {
    if (span.from > day) break;
    found = span.domain;
  }
  return found;
}

/**
 * Whether the item is in service on `day`: installed on or before it and not yet removed
 * (`removed` is the first day out of service, so it is not active on that day).
 */
export function isActive(item: InventoryItem, day: Day): boolean {
  return (
    (item.installed === undefined || item.installed <= day) &&
    (item.removed === undefined || day < item.removed)
  );
}
