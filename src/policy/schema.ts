/**
 * The rule-pack file format (nospy policy reference §5 and the vocabulary in policy-packs.yaml).
 * Objects are strict and every kind is a closed union, so unknown vocabulary is rejected with the
 * position of the word at fault. Cross-field checks (a deadline before its effective date,
 * contradictory rules, unknown references) live in lint.ts.
 */
import { z } from 'zod';
import { daySchema, schemeSchema } from '../inventory/schema.js';
import { DOMAINS, EVENT_TYPES, ITEM_KINDS, TECHNOLOGIES } from '../inventory/model.js';
import { dateSpecSchema, monthSchema, parameterName } from './dates.js';

/**
 * `proposed`: a provision of a proposal that is not law; its findings say what the proposal would
 * require and are never a violation of law in force.
 */
export const STATUSES = ['violation', 'policy', 'advisory', 'review', 'proposed'] as const;
export type RuleStatus = (typeof STATUSES)[number];

/** Whether a pack is law (or policy) in force, or a proposal under negotiation. */
export const PACK_STATUSES = ['in_force', 'proposed'] as const;
export type PackStatus = (typeof PACK_STATUSES)[number];

export const MEASURES = ['sites', 'traffic', 'premises'] as const;
export type Measure = (typeof MEASURES)[number];

const id = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'an id is lowercase letters, digits, ".", "_" and "-"');
const text = z.string().trim().min(1).max(4096);
const scalar = z.union([z.string().max(512), z.number(), z.boolean()]);

/** A `where` condition: equality, membership, negation or a date bound. */
export const conditionSchema = z.union([
  scalar,
  z.array(scalar).min(1).max(256),
  z.strictObject({ not: scalar }),
  z.strictObject({ lte: daySchema }),
  z.strictObject({ gte: daySchema }),
]);
export const whereSchema = z.record(z.string().min(1).max(128), conditionSchema);
export type WhereInput = z.output<typeof whereSchema>;

const sourceRef = z.union([id, z.array(id).min(1).max(32)]);

const common = {
  id,
  title: text.optional(),
  entities: z.array(id).min(1).max(256).optional(),
  kinds: z.array(z.enum(ITEM_KINDS)).min(1).optional(),
  domains: z.array(z.enum(DOMAINS)).min(1).optional(),
  technology: z.array(z.enum(TECHNOLOGIES)).min(1).optional(),
  where: whereSchema.optional(),
  status: z.enum(STATUSES),
  basis: text,
  /**
   * Why the rule itself is not confirmed (every finding it makes is then unverified). `true` is
   * the old form: the linter asks for the reason, or for a date range when only a day is unsure.
   */
  unverified: z.union([z.boolean(), text]).optional(),
  enabled: z.boolean().default(true),
  heuristic: z.boolean().default(false),
  match_components: z.literal('review').optional(),
  source: sourceRef,
};

/** A ranged date: `x` (its latest reading), `x_earliest` (its earliest), or `x_month`. */
function ranged<N extends string>(
  name: N,
): Record<N | `${N}_earliest`, z.ZodOptional<typeof dateSpecSchema>> &
  Record<`${N}_month`, z.ZodOptional<typeof monthSchema>> {
  return {
    [name]: dateSpecSchema.optional(),
    [`${name}_earliest`]: dateSpecSchema.optional(),
    [`${name}_month`]: monthSchema.optional(),
  } as Record<N | `${N}_earliest`, z.ZodOptional<typeof dateSpecSchema>> &
    Record<`${N}_month`, z.ZodOptional<typeof monthSchema>>;
}

/** Forms the format no longer takes; kept in the schema so the linter can say what replaces them. */
const retired = {
  by_day_unverified: z.unknown().optional(),
  after_day_unverified: z.unknown().optional(),
  from_day_unverified: z.unknown().optional(),
  by_offset: z.unknown().optional(),
};

const stateRule = {
  ...common,
  ...ranged('by'),
  ...ranged('effective'),
  by_operator_field: z.literal('reimbursement.deadline').optional(),
  ...retired,
};

const eventRule = {
  ...common,
  ...ranged('after'),
  ...ranged('from'),
  ...retired,
};

export const ruleSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('exclude'), ...stateRule }),
  z.strictObject({ kind: z.literal('remove'), ...stateRule }),
  z.strictObject({ kind: z.literal('no_new_install'), ...eventRule }),
  z.strictObject({ kind: z.literal('no_new_procurement'), ...eventRule }),
  z.strictObject({
    kind: z.literal('no_event'),
    ...common,
    event_type: z.enum(EVENT_TYPES),
    ...ranged('from'),
    ...retired,
    from_offset: z
      .strictObject({
        entity_field: z.literal('listed_on'),
        days: z.number().int().min(0).max(36500),
      })
      .optional(),
  }),
  z.strictObject({
    kind: z.literal('cap'),
    ...common,
    domain: z.enum(DOMAINS),
    max_percent: z.number().optional(),
    max_share: z.number().optional(),
    measures: z.array(z.enum(MEASURES)).min(1).max(3),
    ...ranged('by'),
    ...retired,
  }),
  z.strictObject({
    kind: z.literal('diversity'),
    ...common,
    domain: z.enum(DOMAINS),
    min_vendors: z.number().int(),
    ...ranged('effective'),
  }),
  /**
   * A process rather than a ban: each in-scope item in service must carry an authorisation (or
   * notification) of one of `schemes` that is in force that day. `all_vendors` puts every vendor
   * in scope (the French authorisation covers all 5G radio equipment, not only Huawei's).
   */
  z.strictObject({
    kind: z.literal('authorisation'),
    ...common,
    schemes: z.array(schemeSchema).min(1).max(16),
    all_vendors: z.boolean().default(false),
    ...ranged('effective'),
  }),
]);
export type RuleInput = z.output<typeof ruleSchema>;
export type RuleKind = RuleInput['kind'];

export const packEntitySchema = z.strictObject({
  ref: id,
  purposes: z.array(z.string().min(1).max(128)).min(1).max(64).optional(),
  kinds: z.array(z.enum(ITEM_KINDS)).min(1).optional(),
  listed_on: daySchema.optional(),
  source: sourceRef.optional(),
});

export const exemptionSchema = z.strictObject({
  id,
  rules: z.array(id).min(1, 'an exemption must name the rules it applies to').max(256),
  where: whereSchema.default({}),
  /** The exemption needs the operator to hold an authorisation of this scheme, in force that day. */
  operator_holds: schemeSchema.optional(),
  /** The last day the exemption can apply (a range when the law's end day is uncertain). */
  until: daySchema.optional(),
  until_earliest: daySchema.optional(),
  until_month: monthSchema.optional(),
  basis: text.optional(),
  source: sourceRef.optional(),
});

/** A date a pack's rules count from, which the pack cannot know (`--assume` supplies it). */
export const parameterSchema = z.strictObject({
  type: z.literal('date'),
  says: text,
  source: sourceRef,
});

/** The vendor registry: restricted entities and well-known unrestricted vendors. */
export const registrySchema = z.strictObject({
  schema_version: z.literal(1).default(1),
  entities: z
    .record(
      id,
      z.strictObject({
        canonical: text,
        country: z
          .string()
          .regex(/^[A-Z]{2}$/)
          .optional(),
        aliases: z.array(text).max(256).default([]),
        subsidiaries: z.array(text).max(1024).default([]),
        not_affiliated: z.array(text).max(1024).default([]),
        match: whereSchema.optional(),
        notes: text.optional(),
      }),
    )
    .default({}),
  known_vendors: z.record(id, z.strictObject({ names: z.array(text).min(1).max(256) })).default({}),
});
export type RegistryInput = z.output<typeof registrySchema>;

export const packSchema = z.strictObject({
  schema_version: z.literal(1),
  id,
  title: text,
  jurisdiction: z.string().min(2).max(64),
  binding: text,
  status: z.enum(PACK_STATUSES).default('in_force'),
  parameters: z.record(parameterName, parameterSchema).optional(),
  sources: z.record(id, z.strictObject({ url: z.url(), says: text })),
  entities: z.array(packEntitySchema).min(1).max(256),
  exemptions: z.array(exemptionSchema).max(256).default([]),
  interpretations: z.record(id, text).optional(),
  rules: z.array(ruleSchema).min(1).max(1024),
  facts: z
    .record(id, z.strictObject({ value: z.union([z.string(), z.number()]), source: sourceRef }))
    .optional(),
  notes: text.optional(),
  /** Entities or vendors a pack file adds to (or overrides in) the shipped registry. */
  registry: registrySchema.optional(),
});
export type PackInput = z.output<typeof packSchema>;
