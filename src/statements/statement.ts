/**
 * in-toto Statement v1 (in-toto/attestation spec/v1/statement.md) carrying one of nospy's
 * predicates. nospy's schemas are strict: an unknown or missing field is an error naming its
 * path. (in-toto's monotonic principle lets consumers ignore unknown fields; nospy signs and
 * checks these statements itself, and a field its checks would ignore must not look signed.)
 */
import { z } from 'zod';
import type { Envelope } from './dsse.js';
import {
  ACCESS_PREDICATE_TYPE,
  accessPredicate,
  type AccessPredicate,
} from './predicates/access.js';
import {
  AGREEMENT_CLAUSE_IDS,
  AGREEMENT_PREDICATE_TYPE,
  agreementPredicate,
  type AgreementPredicate,
} from './predicates/agreement.js';
import {
  CANARY_PREDICATE_TYPE,
  canaryPredicate,
  type CanaryPredicate,
} from './predicates/canary.js';
import { digestSet, shortText } from './predicates/common.js';
import { firstDuplicateKey } from './json-duplicates.js';
import {
  DEPLOYMENT_PREDICATE_TYPE,
  deploymentPredicate,
  type DeploymentPredicate,
} from './predicates/deployment.js';
import {
  REBUILD_PREDICATE_TYPE,
  rebuildPredicate,
  type RebuildPredicate,
} from './predicates/rebuild.js';
import {
  INVENTORY_PREDICATE_TYPE,
  inventoryPredicate,
  type InventoryPredicate,
} from './predicates/inventory.js';
import {
  RELEASE_PREDICATE_TYPE,
  releasePredicate,
  type ReleasePredicate,
} from './predicates/release.js';

export const IN_TOTO_STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
/** Largest decoded payload parsed as a statement: it must fit one log entry anyway. */
export const MAX_STATEMENT_BYTES = 65_535;

export const PREDICATES = {
  agreement: { predicateType: AGREEMENT_PREDICATE_TYPE, schema: agreementPredicate },
  release: { predicateType: RELEASE_PREDICATE_TYPE, schema: releasePredicate },
  access: { predicateType: ACCESS_PREDICATE_TYPE, schema: accessPredicate },
  deployment: { predicateType: DEPLOYMENT_PREDICATE_TYPE, schema: deploymentPredicate },
  canary: { predicateType: CANARY_PREDICATE_TYPE, schema: canaryPredicate },
  rebuild: { predicateType: REBUILD_PREDICATE_TYPE, schema: rebuildPredicate },
  inventory: { predicateType: INVENTORY_PREDICATE_TYPE, schema: inventoryPredicate },
} as const;

export type PredicateName = keyof typeof PREDICATES;
export const PREDICATE_NAMES = Object.keys(PREDICATES) as PredicateName[];

export interface PredicateOf {
  agreement: AgreementPredicate;
  release: ReleasePredicate;
  access: AccessPredicate;
  deployment: DeploymentPredicate;
  canary: CanaryPredicate;
  rebuild: RebuildPredicate;
  inventory: InventoryPredicate;
}

/** The predicate name for an in-toto predicateType URI, if nospy defines it. */
export function predicateNameOf(predicateType: string): PredicateName | undefined {
  return PREDICATE_NAMES.find((name) => PREDICATES[name].predicateType === predicateType);
}

export const subjectSchema = z.strictObject({ name: shortText, digest: digestSet });
export type Subject = z.infer<typeof subjectSchema>;

const statementBase = {
  _type: z.literal(IN_TOTO_STATEMENT_TYPE),
  subject: z.array(subjectSchema).min(1).max(4096),
};

/** One strict statement schema per predicate, discriminated on predicateType. */
export const statementSchema = z.discriminatedUnion('predicateType', [
  z.strictObject({
    ...statementBase,
    predicateType: z.literal(AGREEMENT_PREDICATE_TYPE),
    predicate: agreementPredicate,
  }),
  z.strictObject({
    ...statementBase,
    predicateType: z.literal(RELEASE_PREDICATE_TYPE),
    predicate: releasePredicate,
  }),
  z.strictObject({
    ...statementBase,
    predicateType: z.literal(ACCESS_PREDICATE_TYPE),
    predicate: accessPredicate,
  }),
  z.strictObject({
    ...statementBase,
    predicateType: z.literal(DEPLOYMENT_PREDICATE_TYPE),
    predicate: deploymentPredicate,
  }),
  z.strictObject({
    ...statementBase,
    predicateType: z.literal(CANARY_PREDICATE_TYPE),
    predicate: canaryPredicate,
  }),
  z.strictObject({
    ...statementBase,
    predicateType: z.literal(REBUILD_PREDICATE_TYPE),
    predicate: rebuildPredicate,
  }),
  z.strictObject({
    ...statementBase,
    predicateType: z.literal(INVENTORY_PREDICATE_TYPE),
    predicate: inventoryPredicate,
  }),
]);
export type Statement = z.infer<typeof statementSchema>;

/** A problem with a statement, by field path (`predicate.window.until`). */
export interface StatementIssue {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

export type StatementParse =
  | { readonly ok: true; readonly statement: Statement; readonly name: PredicateName }
  | { readonly ok: false; readonly issues: readonly StatementIssue[] };

/** Validates a JS value as a nospy statement; problems are returned, not thrown. */
export function checkStatement(value: unknown): StatementParse {
  const result = statementSchema.safeParse(value);
  if (!result.success) return { ok: false, issues: toStatementIssues(result.error.issues) };
  const name = predicateNameOf(result.data.predicateType);
  if (name === undefined)
    throw new Error('unreachable: the schema admitted an unknown predicateType');
  return { ok: true, statement: result.data, name };
}

/** Parses a signed payload (UTF-8 JSON) as a statement; bounded, never throws for bad bytes. */
export function parseStatementPayload(payload: Uint8Array): StatementParse {
  if (payload.length > MAX_STATEMENT_BYTES) {
    return {
      ok: false,
      issues: [
        {
          path: [],
          message: `the payload is ${payload.length} bytes, more than ${MAX_STATEMENT_BYTES}`,
        },
      ],
    };
  }
  let text: string;
  let json: unknown;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(payload);
    json = JSON.parse(text);
  } catch (error) {
    return {
      ok: false,
      issues: [{ path: [], message: `the payload is not UTF-8 JSON: ${(error as Error).message}` }],
    };
  }
  const repeated = firstDuplicateKey(text);
  if (repeated !== undefined) {
    return {
      ok: false,
      issues: [{ path: [], message: `the payload repeats the field "${repeated}" in one object` }],
    };
  }
  return checkStatement(json);
}

/** Renders an issue as `field.path: message`. */
export function formatIssue(issue: StatementIssue): string {
  const field = issue.path
    .map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`))
    .join('')
    .replace(/^\./, '');
  return field === '' ? issue.message : `${field}: ${issue.message}`;
}

/** zod issues as field-path problems: one per unknown key, missing fields said as such. */
export function toStatementIssues(issues: readonly z.core.$ZodIssue[]): StatementIssue[] {
  return issues.flatMap(toIssues);
}

function toIssues(issue: z.core.$ZodIssue): StatementIssue[] {
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({ path: [...path, key], message: 'unknown field' }));
  }
  if (
    issue.code === 'invalid_union' &&
    'note' in issue &&
    issue.note === 'No matching discriminator'
  ) {
    // zod's path already ends at the discriminator field.
    const field = String(path.at(-1) ?? 'predicateType');
    const allowed =
      field === 'clause'
        ? AGREEMENT_CLAUSE_IDS
        : PREDICATE_NAMES.map((n) => PREDICATES[n].predicateType);
    return [{ path, message: `unknown or missing ${field} (one of: ${allowed.join(', ')})` }];
  }
  if (issue.code === 'invalid_type' && issue.input === undefined) {
    return [{ path, message: `missing required field (expected ${issue.expected})` }];
  }
  return [{ path, message: issue.message }];
}

/** The in-toto statement in an envelope's payload, without judging it (the checks do that). */
export function decodeStatement(envelope: Envelope): Statement | undefined {
  try {
    const json: unknown = JSON.parse(envelope.payload.toString('utf8'));
    if (typeof json !== 'object' || json === null) return undefined;
    const s = json as Partial<Statement>;
    if (!Array.isArray(s.subject) || typeof s.predicate !== 'object') return undefined;
    return s as Statement;
  } catch {
    return undefined;
  }
}
