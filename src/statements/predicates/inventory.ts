/**
 * `inventory`: an operator's equipment inventory as it stood at a date, logged so that a policy
 * finding computed from it can be re-checked by anyone (docs/policy.md, "Auditing a compliance
 * report"). Subject: the inventory file itself (its name and sha256); the file is in the blob
 * store under that digest. The statement commits the operator to exactly those bytes.
 */
import { z } from 'zod';
import { dateOrDateTime, longText, shortText } from './common.js';

export const INVENTORY_PREDICATE_TYPE = 'https://nospy.dev/predicates/inventory/v1';

/** The inventory file formats `nospy policy check` reads (a logged one must be self-contained). */
export const INVENTORY_FORMATS = ['yaml', 'json'] as const;

export const inventoryPredicate = z.strictObject({
  operator: shortText,
  /** The day (or instant) the inventory describes. */
  asOf: dateOrDateTime,
  format: z.enum(INVENTORY_FORMATS),
  /** The blob store holds the file under the subject's digest. */
  inBlobStore: z.boolean().optional(),
  note: longText.optional(),
});
export type InventoryPredicate = z.infer<typeof inventoryPredicate>;
