/**
 * `agreement`: a vendor's no-spy commitment to an operator (or to everyone), as parameterised
 * clauses that nospy checks. The statement's subject is the signed human-readable agreement
 * document (its name and sha256), so the legal text and the machine clauses are one signature.
 */
import { z } from 'zod';
import {
  dateOrDateTime,
  instantOf,
  keyHandleText,
  longText,
  shortText,
  uniqueBy,
} from './common.js';

export const AGREEMENT_PREDICATE_TYPE = 'https://nospy.dev/predicates/agreement/v1';

export const agreementParty = z.strictObject({
  /** The party's name as the trust file spells it. */
  name: shortText,
  /** The key handle (`name+hash`) this party signs with. */
  key: keyHandleText,
  legalName: shortText.optional(),
});

export const otherParty = agreementParty.extend({
  role: z.enum(['regulator', 'auditor', 'other']),
});

/** Where in the signed document a clause is written, e.g. "§4.2". */
const ref = shortText.optional();

/**
 * Every deployed image must be a release logged before the deployment was first observed. With
 * `securityFixDays`, a device may also run a release only up to that many days after a logged
 * security-fix release (`securityFix`) for its model superseded it. Optional, so agreements
 * signed before the parameter existed keep their meaning.
 */
const firmwareLogged = z.strictObject({
  clause: z.literal('firmware-logged-before-deployment'),
  securityFixDays: z.int().min(1).max(3650).optional(),
  ref,
});
/** Every release statement names an SBOM in one of the formats and a MUD file. */
const releaseArtifacts = z.strictObject({
  clause: z.literal('release-carries-sbom-and-mud'),
  sbomFormats: z
    .array(z.enum(['cyclonedx', 'spdx']))
    .min(1)
    .optional(),
  ref,
});
/** Remote access to the operator's devices only inside an access grant both parties signed. */
const remoteAccess = z.strictObject({
  clause: z.literal('remote-access-only-under-cosigned-grant'),
  ref,
});
/** A canary statement at least every `days` days. */
const canaryEvery = z.strictObject({
  clause: z.literal('canary-every'),
  days: z.int().min(1).max(366),
  ref,
});
/** A vulnerability at or above `severity` is fixed by a logged release within `days` days. */
const vulnsFixed = z.strictObject({
  clause: z.literal('critical-vulns-fixed-within'),
  days: z.int().min(1).max(3650),
  severity: z.enum(['critical', 'high', 'medium', 'low']),
  ref,
});
/** Every device's traffic stays within the MUD file of the release it runs. */
const trafficDeclared = z.strictObject({
  clause: z.literal('traffic-within-declared-mud'),
  ref,
});

/**
 * Every release is attested `equivalent` by at least `evaluators` distinct evaluators (parties
 * with the role `evaluator`, by `rebuild` statements) within `within_days` days of its release;
 * an evaluator attesting `different` breaks it at once (docs/check.md, "Binary equivalence").
 */
const releaseReproduced = z.strictObject({
  clause: z.literal('release-reproduced'),
  evaluators: z.int().min(1).max(16),
  within_days: z.int().min(1).max(3650),
  ref,
});

export const agreementClause = z.discriminatedUnion('clause', [
  firmwareLogged,
  releaseArtifacts,
  remoteAccess,
  canaryEvery,
  vulnsFixed,
  trafficDeclared,
  releaseReproduced,
]);
export type AgreementClause = z.infer<typeof agreementClause>;
export const AGREEMENT_CLAUSE_IDS = agreementClause.options.map((o) => o.shape.clause.value);

export const agreementPredicate = z
  .strictObject({
    agreementId: shortText,
    title: shortText,
    parties: z.strictObject({
      vendor: agreementParty,
      /** Absent for a unilateral public pledge; present, the operator must cosign. */
      operator: agreementParty.optional(),
      others: z.array(otherParty).max(16).optional(),
    }),
    validity: z.strictObject({ from: dateOrDateTime, until: dateOrDateTime }),
    scope: z.strictObject({
      products: z.array(shortText).min(1).max(256),
      models: z.array(shortText).max(1024).optional(),
    }),
    clauses: z
      .array(agreementClause)
      .min(1)
      .max(64)
      .superRefine(uniqueBy((c) => c.clause, 'clause')),
    governingLaw: shortText.optional(),
    note: longText.optional(),
  })
  .superRefine((value, ctx) => {
    const from = instantOf(value.validity.from, 'start');
    const until = instantOf(value.validity.until, 'end');
    if (from !== undefined && until !== undefined && until < from) {
      ctx.addIssue({
        code: 'custom',
        path: ['validity', 'until'],
        message: 'is before validity.from',
      });
    }
  });
export type AgreementPredicate = z.infer<typeof agreementPredicate>;
