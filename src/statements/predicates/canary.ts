/**
 * `canary`: a vendor's periodic disclosure about lawful-access requests. Subject: the statement
 * text (its sha256), named `canary:<vendor>:<period until>`.
 */
import { z } from 'zod';
import { dateOrDateTime, digestSet, instantOf, longText, shortText } from './common.js';

export const CANARY_PREDICATE_TYPE = 'https://nospy.dev/predicates/canary/v1';

const count = z.union([z.int().min(0), z.literal('not-disclosed')]);

export const canaryPredicate = z
  .strictObject({
    vendor: shortText,
    period: z.strictObject({ from: dateOrDateTime, until: dateOrDateTime }),
    issuedAt: dateOrDateTime,
    /** The statement itself, or its digest when the text is published elsewhere. */
    text: longText.optional(),
    textDigest: digestSet.optional(),
    lawfulAccessRequests: z.strictObject({
      received: count,
      complied: count.optional(),
      jurisdictions: z.array(shortText).max(256).optional(),
    }),
    nextDue: dateOrDateTime,
  })
  .superRefine((value, ctx) => {
    if (value.text === undefined && value.textDigest === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['text'],
        message: 'either text or textDigest is required',
      });
    }
    const from = instantOf(value.period.from, 'start');
    const until = instantOf(value.period.until, 'end');
    if (from !== undefined && until !== undefined && until < from) {
      ctx.addIssue({ code: 'custom', path: ['period', 'until'], message: 'is before period.from' });
    }
    const issued = instantOf(value.issuedAt, 'start');
    const due = instantOf(value.nextDue, 'end');
    if (issued !== undefined && due !== undefined && due <= issued) {
      ctx.addIssue({ code: 'custom', path: ['nextDue'], message: 'is not after issuedAt' });
    }
  });
export type CanaryPredicate = z.infer<typeof canaryPredicate>;
