/**
 * `rebuild`: an evaluator's attestation that it built a logged release from the source it holds
 * and compared the result with the released image ("binary equivalence", as the UK's Huawei
 * Cyber Security Evaluation Centre oversight board asked of every product; the in-toto rebuilder
 * records of reproducible-builds.org are the same idea for distribution packages). Signed by a
 * party with the role `evaluator`. Subject: the released image (name and sha256), so the
 * attestations of a release are found beside it by subject digest.
 *
 * When the evaluator's build is not the released image bit for bit, the statement names the
 * diff report (`nospy firmware diff --json`, stored as a blob) that explains why: required for a
 * `different` verdict, and for an `equivalent` one whose digests differ (timestamps only, say).
 */
import { z } from 'zod';
import { dateTime, digestSet, longText, shortText } from './common.js';

export const REBUILD_PREDICATE_TYPE = 'https://nospy.dev/predicates/rebuild/v1';

export const REBUILD_VERDICTS = ['equivalent', 'different'] as const;

/** A VCS URI: a URL with a scheme (https, ssh, git, git+https…) or scp-like `user@host:path`. */
const vcsUri = z
  .string()
  .max(2048)
  .refine((value) => {
    if (/^[\w.-]+@[\w.-]+:[^\s]+$/.test(value)) return true;
    try {
      return /^[a-z][a-z0-9+.-]*:$/.test(new URL(value).protocol);
    } catch {
      return false;
    }
  }, 'expected a VCS URI (https://host/repo.git, ssh://…, git@host:repo.git)');

/** A git commit id: SHA-1 (40 hex) or SHA-256 (64 hex) object names. */
const commit = z
  .string()
  .regex(/^[0-9a-f]{40}([0-9a-f]{24})?$/, 'expected a 40- or 64-hex-digit commit id');

export const rebuildPredicate = z
  .strictObject({
    /** The evaluator party as the trust file names it; it must sign. */
    evaluator: shortText,
    /** The release it concerns: the release statement's log index and its image digest. */
    release: z.strictObject({
      index: z.int().min(0),
      digest: digestSet,
      /** The vendor the release statement names (for listing by vendor). */
      vendor: shortText,
    }),
    /** The source the evaluator built: where it is, which commit, and the archive it holds. */
    source: z.strictObject({
      uri: vcsUri,
      commit,
      archive: z.strictObject({ digest: digestSet, name: shortText.optional() }),
    }),
    /** How it was built: the recipe or build container by digest, and the toolchain. */
    build: z.strictObject({
      definition: z.strictObject({
        kind: z.enum(['recipe', 'container-image']),
        digest: digestSet,
        name: shortText.optional(),
      }),
      toolchain: z
        .array(z.strictObject({ name: shortText, version: shortText }))
        .min(1)
        .max(64),
    }),
    /** What the evaluator's build produced. */
    produced: z.strictObject({ digest: digestSet, name: shortText.optional() }),
    verdict: z.enum(REBUILD_VERDICTS),
    /** The diff report (`nospy firmware diff --json`, a blob) of the rebuild against the release. */
    diffReport: z
      .strictObject({ digest: digestSet, inBlobStore: z.boolean().optional() })
      .optional(),
    attestedAt: dateTime,
    note: longText.optional(),
  })
  .superRefine((value, ctx) => {
    const same = value.produced.digest.sha256 === value.release.digest.sha256;
    if (value.verdict === 'different' && same) {
      ctx.addIssue({
        code: 'custom',
        path: ['verdict'],
        message: 'is different, but the build produced the release digest',
      });
    }
    if (!same && value.diffReport === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['diffReport'],
        message:
          'is required when the build did not produce the release digest: name the diff report that explains the verdict',
      });
    }
  });
export type RebuildPredicate = z.infer<typeof rebuildPredicate>;
