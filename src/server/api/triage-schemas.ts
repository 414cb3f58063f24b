/**
 * Zod schemas of finding history, triage and the paged findings list (beside `schemas.ts`, whose
 * forms they extend without changing them).
 */
import { z } from 'zod';
import { TRIAGE_STATES } from '../../check/finding-history.js';
import { FindingSchema, FindingsQuery } from './schemas.js';

export const TriageState = z.enum(TRIAGE_STATES);

export const TriageDecisionSchema = z
  .object({
    finding: z.string(),
    state: TriageState,
    by: z.string(),
    at: z.string(),
    reason: z.string(),
    until: z.string().optional(),
  })
  .meta({ id: 'TriageDecision' });

export const FindingHistorySchema = z
  .object({
    firstSeen: z.string(),
    lastSeen: z.string(),
    firstRun: z.string(),
    lastRun: z.string(),
    resolvedAt: z.string().optional(),
  })
  .meta({ id: 'FindingHistory' });

/** What the triage filter selects; `suppressed` is false-positive or accepted-risk in force. */
export const TRIAGE_FILTERS = [
  'none',
  'acknowledged',
  'false-positive',
  'accepted-risk',
  'suppressed',
  'unsuppressed',
] as const;

export const FINDING_SORTS = [
  'severity',
  'firstSeen',
  'lastSeen',
  'kind',
  'device',
  'vendor',
] as const;

export const PagedFindingsQuery = FindingsQuery.extend({
  /** Triage in force: none, one state, `suppressed` or `unsuppressed`. */
  triage: z.enum(TRIAGE_FILTERS).optional(),
  sort: z.enum(FINDING_SORTS).optional(),
  order: z.enum(['asc', 'desc']).optional(),
  /** At most this many findings from `offset` (default: all). */
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  offset: z.coerce.number().int().min(0).max(10_000_000).optional(),
});

export const ListedFinding = FindingSchema.extend({ triage: TriageDecisionSchema.optional() });

export const PagedFindingsResponse = z.object({
  findings: z.array(ListedFinding).readonly(),
  /** Findings the filters select (before paging). */
  total: z.number(),
  bySeverity: z.record(z.string(), z.number().int()).optional(),
});

export const FindingDetailResponse = FindingSchema.extend({
  triage: TriageDecisionSchema.optional(),
  history: FindingHistorySchema.optional(),
  /** Every triage decision, oldest first. */
  triageHistory: z.array(TriageDecisionSchema).readonly().optional(),
});

export const TriageBody = z.strictObject({
  state: TriageState,
  reason: z.string().min(1).max(2000),
  /** `accepted-risk` only: the last day the acceptance holds. */
  until: z.iso.date().optional(),
});

export const TriageResponse = z.object({
  triage: TriageDecisionSchema.optional(),
  history: z.array(TriageDecisionSchema).readonly(),
});
