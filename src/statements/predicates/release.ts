/**
 * `release`: a vendor's firmware release. Subject: the image(s) by name and sha256. The
 * predicate binds the image to its SBOM and its declared network behaviour (RFC 8520 MUD file),
 * both by digest, and to its build provenance where the vendor has it.
 */
import { z } from 'zod';
import { dateOrDateTime, digestSet, httpsUrl, longText, shortText } from './common.js';

export const RELEASE_PREDICATE_TYPE = 'https://nospy.dev/predicates/release/v1';

export const releasePredicate = z.strictObject({
  vendor: shortText,
  models: z.array(shortText).min(1).max(1024),
  version: shortText,
  releasedAt: dateOrDateTime,
  sbom: z.strictObject({
    format: z.enum(['cyclonedx', 'spdx']),
    digest: digestSet,
    url: httpsUrl.optional(),
    /** True when the document is in nospy's blob store under its digest. */
    inBlobStore: z.boolean().optional(),
  }),
  mud: z.strictObject({
    digest: digestSet,
    /** The MUD URL (RFC 8520 §3.3 mud-url) devices emit for this release. */
    url: httpsUrl,
    inBlobStore: z.boolean().optional(),
  }),
  provenance: z
    .strictObject({
      sourceRepo: httpsUrl.optional(),
      sourceCommit: z
        .string()
        .regex(/^[0-9a-f]{40}([0-9a-f]{24})?$/, 'expected a 40- or 64-hex-digit commit id')
        .optional(),
      builder: shortText.optional(),
      /** An in-toto/SLSA provenance attestation for this build, by digest. */
      attestation: z
        .strictObject({ digest: digestSet, predicateType: shortText.optional() })
        .optional(),
    })
    .optional(),
  /** The release this one replaces, by image digest. */
  supersedes: z.strictObject({ version: shortText.optional(), digest: digestSet }).optional(),
  /** Present when the release fixes security advisories (CVE or vendor ids). */
  securityFix: z.strictObject({ advisories: z.array(shortText).min(1).max(1024) }).optional(),
  notes: longText.optional(),
});
export type ReleasePredicate = z.infer<typeof releasePredicate>;
