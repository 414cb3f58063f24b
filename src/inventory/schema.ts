/**
 * The inventory file format (YAML or JSON; items may also come from CSV, see csv.ts). Objects
 * are strict: a misspelt field is an error, never silently ignored. Field names are the file's
 * snake_case ones; `toItem` turns a validated row into the model.
 */
import { ipFamily } from '../ip/family.js';
import { z } from 'zod';
import { parseDay, type Day } from './day.js';
import {
  DOMAINS,
  EVENT_TYPES,
  type Authorisation,
  ITEM_KINDS,
  SERVICE_TYPES,
  TECHNOLOGIES,
  TRANSMISSION_CLASSES,
  type DomainSpan,
  type InventoryItem,
  type Operator,
  type Site,
} from './model.js';

/** Longest id, name or free-text field accepted: these are labels, not documents. */
const MAX_TEXT = 512;
/** Per-item ceilings that keep share sums exact in integer maths (see policy/cap.ts). */
export const MAX_TRAFFIC_GB_PER_DAY = 1_000_000;
export const MAX_PREMISES_SERVED = 10_000_000;

const text = z.string().trim().min(1).max(MAX_TEXT);
const id = z
  .string()
  .min(1)
  .max(MAX_TEXT)
  .regex(/^[^\s]+$/, 'an id has no spaces');

/** A calendar day written `YYYY-MM-DD`. */
export const daySchema = z.string().transform((value, ctx): Day => {
  const day = parseDay(value);
  if (day === undefined) {
    ctx.addIssue({ code: 'custom', message: `'${value}' is not a date (YYYY-MM-DD)` });
    return z.NEVER;
  }
  return day;
});

/** An IPv4/IPv6 address or a CIDR prefix with a valid length. */
export const addressSchema = z.string().refine(
  (value) => {
    const [address = '', prefix, extra] = value.split('/');
    const family = ipFamily(address);
    if (family === 0 || extra !== undefined) return false;
    if (prefix === undefined) return true;
    if (!/^\d{1,3}$/.test(prefix)) return false;
    return Number(prefix) <= (family === 4 ? 32 : 128);
  },
  { message: 'not an IP address or CIDR prefix' },
);

const domain = z.enum(DOMAINS);

/** How a pack names an authorisation process (the same shape as a pack id). */
export const schemeSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'a scheme is lowercase letters, digits, ".", "_" and "-"');

/** An authorisation, notification or waiver on record (see model.ts `Authorisation`). */
export const authorisationSchema = z
  .strictObject({
    scheme: schemeSchema,
    id: text,
    granted: daySchema.optional(),
    expires: daySchema.optional(),
  })
  .refine((a) => a.granted === undefined || a.expires === undefined || a.granted <= a.expires, {
    path: ['expires'],
    message: 'an authorisation cannot expire before it is granted',
  });
/** An item or operator rarely holds more than a handful; a thousand is far beyond honest data. */
const MAX_AUTHORISATIONS = 1000;
const authorisations = z.array(authorisationSchema).max(MAX_AUTHORISATIONS).default([]);
const country = z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 country code');

export const itemSchema = z
  .strictObject({
    id,
    kind: z.enum(ITEM_KINDS).default('equipment'),
    vendor: text,
    model: text.optional(),
    components: z
      .array(z.strictObject({ vendor: text, part: text.optional() }))
      .max(1000)
      .default([]),
    site: id.optional(),
    domain: domain.optional(),
    domain_history: z
      .array(z.strictObject({ domain, from: daySchema }))
      .min(1)
      .max(1000)
      .optional(),
    technology: z.array(z.enum(TECHNOLOGIES)).max(32).default([]),
    procured: daySchema.optional(),
    installed: daySchema.optional(),
    removed: daySchema.nullable().optional(),
    purpose: text.optional(),
    can_route_or_view_user_data: z.boolean().default(true),
    sanctions_affected: z.boolean().default(false),
    transmission_class: z.enum(TRANSMISSION_CLASSES).optional(),
    manages: z.array(domain).max(32).default([]),
    service_type: z.enum(SERVICE_TYPES).optional(),
    premises_served: z.number().int().min(0).max(MAX_PREMISES_SERVED).optional(),
    traffic_gb_per_day: z
      .number()
      .min(0)
      .max(MAX_TRAFFIC_GB_PER_DAY)
      .refine(
        (v) =>
          Number.isInteger(Math.round(v * 1000)) &&
          Math.abs(v * 1000 - Math.round(v * 1000)) < 1e-6,
        {
          message: 'at most three decimals',
        },
      )
      .optional(),
    category: text.optional(),
    produced_in: country.optional(),
    events: z
      .array(z.strictObject({ type: z.enum(EVENT_TYPES), date: daySchema }))
      .max(1000)
      .default([]),
    authorisations,
    addresses: z.array(addressSchema).max(4096).default([]),
    firmware: z
      .strictObject({
        sha256: z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 digest: 64 lowercase hex digits'),
        version: text.optional(),
      })
      .optional(),
  })
  .superRefine((item, ctx) => {
    if (item.domain === undefined && item.domain_history === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['domain'],
        message: 'an item needs a domain or a domain_history',
      });
    }
    if (item.domain !== undefined && item.domain_history !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['domain_history'],
        message: 'give domain or domain_history, not both',
      });
    }
    if (item.domain_history !== undefined) {
      for (let i = 1; i < item.domain_history.length; i += 1) {
        if ((item.domain_history[i]?.from ?? 0) <= (item.domain_history[i - 1]?.from ?? 0)) {
          ctx.addIssue({
            code: 'custom',
            path: ['domain_history', i, 'from'],
            message: 'domain_history dates must increase',
          });
        }
      }
    }
    if (item.installed !== undefined && item.removed != null && item.removed <= item.installed) {
      ctx.addIssue({
        code: 'custom',
        path: ['removed'],
        message: 'removed (first day out of service) must be after installed',
      });
    }
  });

export type ItemRow = z.input<typeof itemSchema>;

export const siteSchema = z.strictObject({
  id,
  name: text.optional(),
  sensitive: z.boolean().default(false),
});

export const operatorSchema = z.strictObject({
  id,
  name: text.optional(),
  country: country.optional(),
  us_federal_contractor: z.boolean().default(false),
  usf_recipient: z.boolean().default(false),
  reimbursement: z
    .strictObject({
      participant: z.boolean(),
      initial_disbursement: daySchema.optional(),
      extensions: z.array(daySchema).max(100).default([]),
    })
    .optional(),
  authorisations,
});

export const inventoryFileSchema = z.strictObject({
  schema_version: z.literal(1).default(1),
  operator: operatorSchema,
  sites: z.array(siteSchema).default([]),
  /** Items inline… */
  items: z.array(z.unknown()).optional(),
  /** …or in a CSV file, relative to this file. */
  items_csv: z.string().min(1).max(4096).optional(),
});

/** Shared by every item without authorisations (nearly all): no array per item. */
const NO_AUTHORISATIONS: readonly Authorisation[] = Object.freeze([]);

function toAuthorisations(
  rows: readonly z.output<typeof authorisationSchema>[],
): readonly Authorisation[] {
  if (rows.length === 0) return NO_AUTHORISATIONS;
  return rows.map((a) => ({
    scheme: a.scheme,
    id: a.id,
    ...(a.granted === undefined ? {} : { granted: a.granted }),
    ...(a.expires === undefined ? {} : { expires: a.expires }),
  }));
}

/** Turns a validated item row into the model. */
export function toItem(row: z.output<typeof itemSchema>): InventoryItem {
  const domains: DomainSpan[] =
    row.domain_history ??
    (row.domain === undefined ? [] : [{ domain: row.domain, from: -Infinity }]);
  // Every field set, in one order: one hidden class for all items.
  return {
    id: row.id,
    kind: row.kind,
    vendor: row.vendor,
    model: row.model,
    components: row.components.map((c) =>
      c.part === undefined ? { vendor: c.vendor } : { vendor: c.vendor, part: c.part },
    ),
    site: row.site,
    domains,
    technology: row.technology,
    procured: row.procured,
    installed: row.installed,
    removed: row.removed ?? undefined,
    purpose: row.purpose,
    canRouteOrViewUserData: row.can_route_or_view_user_data,
    sanctionsAffected: row.sanctions_affected,
    transmissionClass: row.transmission_class,
    manages: row.manages,
    serviceType: row.service_type,
    premisesServed: row.premises_served,
    trafficGbPerDay: row.traffic_gb_per_day,
    category: row.category,
    producedIn: row.produced_in,
    events: row.events,
    authorisations: toAuthorisations(row.authorisations),
    addresses: row.addresses,
    firmware:
      row.firmware === undefined
        ? undefined
        : row.firmware.version === undefined
          ? { sha256: row.firmware.sha256 }
          : { sha256: row.firmware.sha256, version: row.firmware.version },
  };
}

export function toSite(row: z.output<typeof siteSchema>): Site {
  return {
    id: row.id,
    sensitive: row.sensitive,
    ...(row.name === undefined ? {} : { name: row.name }),
  };
}

export function toOperator(row: z.output<typeof operatorSchema>): Operator {
  const r = row.reimbursement;
  return {
    id: row.id,
    ...(row.name === undefined ? {} : { name: row.name }),
    ...(row.country === undefined ? {} : { country: row.country }),
    usFederalContractor: row.us_federal_contractor,
    usfRecipient: row.usf_recipient,
    ...(row.authorisations.length === 0
      ? {}
      : { authorisations: toAuthorisations(row.authorisations) }),
    ...(r === undefined
      ? {}
      : {
          reimbursement: {
            participant: r.participant,
            extensions: r.extensions,
            ...(r.initial_disbursement === undefined
              ? {}
              : { initialDisbursement: r.initial_disbursement }),
          },
        }),
  };
}
