/**
 * An evaluator's rebuild attestation (`nospy rebuild attest`): the digests of what it built,
 * the source archive it holds and the recipe it built with; the diff of its build against the
 * released image when the two are not the same bytes; and the `rebuild` statement that binds
 * them to the release (docs/statements.md). The caller signs, uploads and publishes.
 */
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { diffFirmware } from '../firmware/diff/diff.js';
import { formatDiffReport, type DiffReport } from '../firmware/diff/report.js';
import type { UnpackLimits } from '../firmware/limits.js';
import { REBUILD_PREDICATE_TYPE } from '../statements/predicates/rebuild.js';
import { checkStatement, IN_TOTO_STATEMENT_TYPE, type Statement } from '../statements/statement.js';
import { RebuildError } from './errors.js';

/** The logged release an attestation is about. */
export interface ReleaseRef {
  /** The release statement's log index. */
  readonly index: number;
  readonly vendor: string;
  /** Every image the release names: hex SHA-256 and the name it gives it. */
  readonly images: readonly { readonly sha256: string; readonly name: string }[];
}

export interface RebuildInput {
  readonly evaluator: string;
  readonly release: ReleaseRef;
  /** The image the evaluator's build produced (a file). */
  readonly rebuilt: string;
  /** The released image (a file), needed only when the build produced other bytes. */
  readonly released: (() => Promise<string | undefined>) | undefined;
  readonly source: { readonly uri: string; readonly commit: string; readonly archive: string };
  readonly definition: { readonly path: string; readonly kind: 'recipe' | 'container-image' };
  readonly toolchain: readonly { readonly name: string; readonly version: string }[];
  readonly attestedAt: Date;
  readonly note?: string;
  readonly limits?: UnpackLimits;
  /** The diff report will be uploaded to the blob store the statement is published beside. */
  readonly reportInBlobStore?: boolean;
}

export interface RebuildAttestation {
  readonly statement: Statement;
  readonly verdict: 'equivalent' | 'different';
  /** The diff report and its exact bytes, when the build is not the released image. */
  readonly report?: {
    readonly report: DiffReport;
    readonly bytes: Buffer;
    readonly sha256: string;
  };
}

/**
 * The most bytes hashed from one input: far beyond any image or source archive, and an end to a
 * pipe or a device (`/dev/zero`) that would otherwise be hashed for ever.
 */
const MAX_HASHED_BYTES = 16 * 1024 ** 3;

/** SHA-256 of a file, read in chunks (a source archive may be larger than memory should hold). */
export function sha256File(path: string): string {
  const hash = createHash('sha256');
  const fd = openSync(path, 'r');
  try {
    if (fstatSync(fd).isDirectory())
      throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    const chunk = Buffer.alloc(1024 * 1024);
    let total = 0;
    for (;;) {
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      total += n;
      if (total > MAX_HASHED_BYTES) throw new Error(`more than ${MAX_HASHED_BYTES} bytes`);
      hash.update(chunk.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

function digestOf(path: string, what: string): string {
  try {
    return sha256File(path);
  } catch (error) {
    throw new RebuildError(
      'REBUILD_INPUT_UNREADABLE',
      `cannot read the ${what} ${path}: ${(error as Error).message}`,
      {
        where: path,
        cause: error,
      },
    );
  }
}

/**
 * Computes the attestation: the produced digest, the diff against the released image when the
 * digests differ (a as the rebuild, b as the release: `added` is what the release has and the
 * source does not build), the verdict, and the statement (validated against the predicate's
 * schema, so a bad URI or commit is an error here, not at publish).
 */
export async function attestRebuild(input: RebuildInput): Promise<RebuildAttestation> {
  const produced = digestOf(input.rebuilt, 'rebuilt image');
  const { release } = input;
  const named = (hex: string) => release.images.find((i) => i.sha256 === hex);
  let image = named(produced);
  let verdict: 'equivalent' | 'different' = 'equivalent';
  let report: RebuildAttestation['report'];
  if (image === undefined) {
    const releasedPath = input.released === undefined ? undefined : await input.released();
    if (releasedPath === undefined) {
      throw new RebuildError(
        'REBUILD_RELEASED_IMAGE_UNAVAILABLE',
        `the rebuild (sha256:${produced}) is not the released image, and the released image is neither given (--released) nor in the blob store`,
        { where: input.rebuilt },
      );
    }
    const releasedDigest = digestOf(releasedPath, 'released image');
    image = named(releasedDigest);
    if (image === undefined) {
      throw new RebuildError(
        'REBUILD_RELEASED_IMAGE_MISMATCH',
        `${releasedPath} (sha256:${releasedDigest}) is not an image of release ${release.index} (${release.images.map((i) => `sha256:${i.sha256}`).join(', ')})`,
        { where: releasedPath },
      );
    }
    const outcome = diffFirmware(
      input.rebuilt,
      releasedPath,
      input.limits === undefined ? {} : { limits: input.limits },
    );
    const bytes = Buffer.from(formatDiffReport(outcome.report), 'utf8');
    report = {
      report: outcome.report,
      bytes,
      sha256: createHash('sha256').update(bytes).digest('hex'),
    };
    verdict = outcome.report.equivalent ? 'equivalent' : 'different';
  }
  const statement = {
    _type: IN_TOTO_STATEMENT_TYPE,
    subject: [{ name: image.name, digest: { sha256: image.sha256 } }],
    predicateType: REBUILD_PREDICATE_TYPE,
    predicate: {
      evaluator: input.evaluator,
      release: { index: release.index, digest: { sha256: image.sha256 }, vendor: release.vendor },
      source: {
        uri: input.source.uri,
        commit: input.source.commit,
        archive: { digest: { sha256: digestOf(input.source.archive, 'source archive') } },
      },
      build: {
        definition: {
          kind: input.definition.kind,
          digest: { sha256: digestOf(input.definition.path, 'build definition') },
        },
        toolchain: input.toolchain,
      },
      produced: { digest: { sha256: produced } },
      verdict,
      ...(report === undefined
        ? {}
        : {
            diffReport: {
              digest: { sha256: report.sha256 },
              ...(input.reportInBlobStore === true ? { inBlobStore: true } : {}),
            },
          }),
      attestedAt: input.attestedAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      ...(input.note === undefined ? {} : { note: input.note }),
    },
  };
  const checked = checkStatement(statement);
  if (!checked.ok) {
    throw new RebuildError(
      'REBUILD_RELEASE_INVALID',
      `the attestation is not a valid rebuild statement: ${checked.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  return { statement: checked.statement, verdict, ...(report === undefined ? {} : { report }) };
}
