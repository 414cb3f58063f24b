/**
 * Zod schemas of the read API's queries and responses. Fastify validates queries and serializes
 * responses through them, and `/openapi.json` is generated from them, so the spec cannot drift.
 */
import { z } from 'zod';
import { FINDING_KINDS, SEVERITIES } from '../../check/finding.js';

/** Arrays the snapshot hands out are readonly; the schema says so. */
const list = <T extends z.ZodType>(item: T) => z.array(item).readonly();

const ID = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/;

export const Kind = z.enum(FINDING_KINDS);
export const Severity = z.enum(SEVERITIES);
/** Path ids: devices, vendors, findings. Bounded, no slashes. */
export const IdParam = z.object({ id: z.string().regex(ID, 'an id of letters, digits and ._:@-') });

export const FindingsQuery = z.strictObject({
  kind: Kind.optional(),
  severity: Severity.optional(),
  device: z.string().regex(ID).optional(),
  vendor: z.string().regex(ID).optional(),
  /** Only findings first seen at or after this day or instant. */
  since: z.iso.date().or(z.iso.datetime()).optional(),
});

const Subject = z.object({
  device: z.string().optional(),
  vendor: z.string().optional(),
  release: z.string().optional(),
  log: z.string().optional(),
});

const Breaks = z.discriminatedUnion('type', [
  z.object({ type: z.literal('clause'), agreement: z.number().int(), clause: z.string() }),
  z.object({ type: z.literal('rule'), pack: z.string(), rule: z.string() }),
  z.object({ type: z.literal('log'), property: z.literal('consistency') }),
]);

export const FindingSchema = z
  .object({
    id: z.string(),
    kind: Kind,
    severity: Severity,
    subject: Subject,
    breaks: Breaks,
    firstSeen: z.string(),
    lastSeen: z.string(),
    explanation: z.string(),
    // Each evidence kind carries what a verifier needs (src/check/finding.ts); passed through as is.
    evidence: list(z.looseObject({ type: z.string() })),
  })
  .meta({ id: 'Finding' });

const Counts = z.object({
  byKind: z.record(z.string(), z.number().int()),
  bySeverity: z.record(z.string(), z.number().int()),
});

export const SummaryResponse = z.object({
  generatedAt: z.string(),
  /** False when the server has no check configuration: nothing was checked, `reason` says why. */
  checked: z.boolean(),
  reason: z.string().optional(),
  /** The wall-clock time the report was computed (`generatedAt` is its evaluation instant). */
  computedAt: z.string().optional(),
  findings: Counts.extend({ total: z.number().int() }),
  devices: z.number().int(),
  vendors: z.number().int(),
  releases: z.number().int(),
  log: z.object({
    origin: z.string(),
    size: z.number().int(),
    checkpoint: z.string(),
    verifierKey: z.string().optional(),
  }),
});

export const FindingsResponse = z.object({ findings: list(FindingSchema), total: z.number() });

export const HistoryResponse = z.object({
  days: list(Counts.extend({ day: z.string(), total: z.number().int() })),
});

const Timeline = list(z.object({ at: z.string(), event: z.string(), ref: z.string().optional() }));

const DeviceSummary = z.object({
  id: z.string(),
  /** The vendor's id (`GET /v1/vendors/<id>`). */
  vendor: z.string(),
  vendorName: z.string().optional(),
  model: z.string().optional(),
  release: z.string().optional(),
  firmware: z.enum(['logged', 'not-logged', 'unknown']),
  /** `firmware` told honestly: a logged image with back-door indicators, or never scanned. */
  firmwareStatus: z
    .enum(['logged', 'logged-with-indicators', 'unscanned', 'not-logged', 'unknown'])
    .optional(),
  findings: z.number().int(),
});

export const DevicesResponse = z.object({ devices: list(DeviceSummary) });

export const DeviceResponse = DeviceSummary.extend({
  mud: z
    .object({
      url: z.string().optional(),
      digest: z.string().optional(),
      /** Remote endpoints the device exchanged flows with that its MUD file allows. */
      allowed: list(z.string()),
    })
    .optional(),
  traffic: list(
    z.object({
      destination: z.string(),
      service: z.string().optional(),
      verdict: z.enum(['allowed', 'undeclared', 'unapproved-access']),
      flows: z.number().int(),
      finding: z.string().optional(),
    }),
  ),
  trafficCounts: z
    .object({ allowed: z.number().int(), violations: z.number().int() })
    .optional()
    .describe('flow records (device legs) allowed and breaking the MUD file or the grants'),
  accessGrants: list(
    z.object({
      grantee: z.string(),
      scope: z.string(),
      from: z.string().optional(),
      until: z.string().optional(),
      statement: z.number().int().optional(),
      grantId: z.string().optional(),
      sources: list(z.string()).optional(),
    }),
  ),
  timeline: Timeline,
  releaseInfo: z
    .object({
      digest: z.string(),
      version: z.string(),
      index: z.number(),
      sbom: z.string().optional(),
      mud: z.string().optional(),
    })
    .optional(),
  findingList: list(FindingSchema),
});

const Reproducibility = z
  .object({
    status: z.enum(['reproduced', 'pending', 'not-reproduced', 'not-equivalent', 'not-required']),
    required: z.object({ evaluators: z.number().int(), withinDays: z.number().int() }).optional(),
    attestations: list(
      z.object({
        evaluator: z.string(),
        verdict: z.enum(['equivalent', 'different']),
        attestedAt: z.string(),
        statement: z.number().int(),
        produced: z.string(),
        diffReport: z.string().optional(),
        differences: list(
          z.object({ path: z.string(), change: z.string(), classification: z.string().nullable() }),
        ).optional(),
      }),
    ),
    finding: z.string().optional(),
  })
  .describe('whether evaluators rebuilt the release from its source (rebuild statements)');

const Release = z.object({
  digest: z.string(),
  vendor: z.string(),
  version: z.string(),
  index: z.number().int(),
  releasedAt: z.string().describe("the vendor's own release time, from the statement"),
  loggedAt: z
    .string()
    .optional()
    .describe(
      'when the log integrated the statement (the first checkpoint covering it was signed); absent when the store did not keep it',
    ),
  sbom: z
    .object({ digest: z.string(), format: z.string() })
    .describe('the SBOM the release statement names; GET /v1/blobs/<digest> serves it when kept'),
  mud: z
    .object({ digest: z.string() })
    .describe(
      'the MUD file the release statement names; GET /v1/blobs/<digest> serves it when kept',
    ),
  reproducibility: Reproducibility,
});
export const ReleasesResponse = z.object({ releases: list(Release) });

const VendorSummary = z.object({
  id: z.string(),
  name: z.string(),
  devices: z.number().int(),
  releases: z.number().int(),
  findings: z.number().int(),
  agreement: z.number().int().optional(),
  /** Clauses of the agreement by status. */
  clauses: z
    .object({
      kept: z.number().int(),
      broken: z.number().int(),
      notChecked: z.number().int(),
      pending: z.number().int(),
    })
    .optional(),
});
export const VendorsResponse = z.object({ vendors: list(VendorSummary) });

export const ClauseStatus = z.enum(['kept', 'broken', 'not-checked', 'pending']);

const Clause = z.object({
  id: z.string(),
  status: ClauseStatus,
  /** Ids of the findings breaking it. */
  findings: list(z.string()),
  note: z.string().optional(),
  due: z
    .string()
    .optional()
    .describe('canary-every: the day the next canary is due, the clause’s days after the latest'),
});

export const VendorResponse = VendorSummary.extend({
  aliases: list(z.string()).optional(),
  agreementDetail: z
    .object({
      index: z.number().int(),
      agreementId: z.string().optional(),
      title: z.string().optional(),
      validity: z.object({ from: z.string(), until: z.string() }).optional(),
      clauses: list(Clause),
    })
    .optional(),
  releaseList: list(Release),
  canary: list(
    z.object({
      at: z.string(),
      status: z.enum(['fresh', 'lapsed']),
      statement: z.number().int().optional(),
      nextDue: z.string().optional(),
      until: z.string().optional(),
      finding: z.string().optional(),
    }),
  ),
  compliance: list(z.object({ pack: z.string(), status: z.enum(['pass', 'fail']) })),
});

export const ComplianceResponse = z.object({
  packs: list(
    z.object({
      pack: z.string(),
      title: z.string().optional(),
      proposed: z.boolean().optional(),
      pending: list(z.object({ rule: z.string(), waitsFor: list(z.string()), what: z.string() })),
      findings: list(FindingSchema),
      domains: list(
        z.object({
          domain: z.string(),
          rule: z.string().optional(),
          technology: z.string().optional(),
          measure: z.string().optional(),
          cap: z.number(),
          shares: list(
            z.object({
              vendor: z.string(),
              share: z.number(),
              capped: z.boolean(),
              overCap: z.boolean(),
            }),
          ),
        }),
      ),
      deadlines: list(z.object({ date: z.string(), rule: z.string(), what: z.string() })),
      plan: list(
        z.object({
          by: z.string(),
          step: z.string(),
          device: z.string().optional(),
          rule: z.string().optional(),
          vendor: z.string().optional(),
          items: list(z.string()).optional(),
          overdue: z.boolean().optional(),
        }),
      ),
    }),
  ),
});

export const ErrorResponse = z.object({
  error: z.object({ code: z.string(), message: z.string() }),
});

/** The errors of a route with an id in its path: a malformed id (400), an unknown one (404). */
export const BY_ID_ERRORS = { 400: ErrorResponse, 404: ErrorResponse };
/** The error of a route with a query: a parameter the schema refuses (400). */
export const QUERY_ERRORS = { 400: ErrorResponse };
