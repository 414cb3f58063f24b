/**
 * `deployment`: an operator's observation that a device runs an image. Subject: the image seen
 * running (name and sha256), so it is found beside the release with the same digest.
 */
import { z } from 'zod';
import { dateTime, longText, shortText } from './common.js';

export const DEPLOYMENT_PREDICATE_TYPE = 'https://nospy.dev/predicates/deployment/v1';

export const DEPLOYMENT_METHODS = [
  'ssh-show-version',
  'snmp',
  'netconf',
  'attestation',
  'inventory',
  'image-hash',
  'manual',
] as const;

export const deploymentPredicate = z.strictObject({
  operator: shortText,
  device: z.strictObject({
    id: shortText,
    vendor: shortText.optional(),
    model: shortText.optional(),
    site: shortText.optional(),
  }),
  observedAt: dateTime,
  /** How the running image was identified; `attestation` is the only cryptographic one. */
  method: z.enum(DEPLOYMENT_METHODS),
  /** The version string the device reported, when it reports one. */
  reportedVersion: shortText.optional(),
  note: longText.optional(),
});
export type DeploymentPredicate = z.infer<typeof deploymentPredicate>;
