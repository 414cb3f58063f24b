/**
 * `access`: a remote-access grant. Valid only with the signatures of both the vendor and the
 * operator (see signing-rules.ts). Subject: the devices, each `device:<id>` with the sha256 of
 * that name, so that the grants for a device are found by subject digest.
 */
import { z } from 'zod';
import { cidr, dateTime, instantOf, longText, shortText, uniqueBy } from './common.js';

export const ACCESS_PREDICATE_TYPE = 'https://nospy.dev/predicates/access/v1';

const port = z.int().min(1).max(65_535);

export const accessService = z
  .strictObject({
    protocol: z.enum(['tcp', 'udp']),
    /** Single ports or inclusive ranges. */
    ports: z
      .array(z.union([port, z.strictObject({ from: port, to: port })]))
      .min(1)
      .max(64),
    name: shortText.optional(),
  })
  .superRefine((value, ctx) => {
    for (const [index, entry] of value.ports.entries()) {
      if (typeof entry === 'object' && entry.to < entry.from) {
        ctx.addIssue({ code: 'custom', path: ['ports', index, 'to'], message: 'is below from' });
      }
    }
  });

export const accessPredicate = z
  .strictObject({
    grantId: shortText,
    vendor: shortText,
    operator: shortText,
    devices: z
      .array(shortText)
      .min(1)
      .max(4096)
      .superRefine(uniqueBy((d) => d, 'device')),
    window: z.strictObject({ from: dateTime, until: dateTime }),
    sourceNetworks: z.array(cidr).min(1).max(256),
    services: z.array(accessService).min(1).max(32),
    purpose: longText,
    ticket: shortText,
    /** Named people who may use the grant, when the contract asks for it. */
    engineers: z.array(shortText).max(64).optional(),
  })
  .superRefine((value, ctx) => {
    const from = instantOf(value.window.from, 'start');
    const until = instantOf(value.window.until, 'end');
    if (from !== undefined && until !== undefined && until <= from) {
      ctx.addIssue({
        code: 'custom',
        path: ['window', 'until'],
        message: 'is not after window.from',
      });
    }
  });
export type AccessPredicate = z.infer<typeof accessPredicate>;
