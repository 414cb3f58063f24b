/**
 * Proof of absence: the evidence that no logged release names an image digest at a checkpoint,
 * as `nospy check` writes it in a `firmware-not-logged` finding:
 *
 *   {"type": "absence", "digest": "sha256:…", "checkpoint": "<cosigned note>", "detail": "…",
 *    "vendor": "…", "releases": [{"index", "envelope", "tlogProof"}…], "omitted": 0}
 *
 * Offline (this file, pure) a verifier learns: the checkpoint is the log's, with its witness
 * quorum; each listed statement is a release of that vendor, signed as the trust file requires
 * and included in the log under that very checkpoint; and none of them names the digest. What
 * offline checking cannot show is that the list is complete: a release left out of the list
 * would go unseen. That needs the log itself (`absence-log.ts`).
 */
import type { Checkpoint } from '../tlog/checkpoint.js';
import { sameHash } from '../tlog/proof.js';
import { judgeCheckpoint, verifyBundle, type BundleCheckId } from './bundle.js';
import { parseEnvelope, type Envelope } from './dsse.js';
import { StatementError } from './errors.js';
import { firstDuplicateKey } from './json-duplicates.js';
import type { Statement } from './statement.js';
import type { Trust } from './trust.js';
import type { CheckStatus } from './verify.js';

/** At most this many listed releases (nospy check lists at most 1000), each a log entry. */
export const MAX_ABSENCE_RELEASES = 1000;
/** The releases' envelopes and proofs, and the checkpoint: bounded before any JSON is parsed. */
export const MAX_ABSENCE_BYTES = MAX_ABSENCE_RELEASES * 72 * 1024 + 64 * 1024;

export interface ListedRelease {
  readonly index: number;
  readonly envelope: Envelope;
  /** c2sp.org/tlog-proof text. */
  readonly tlogProof: string;
}

export interface AbsenceEvidence {
  /** `sha256:<64 hex>`. */
  readonly digest: string;
  readonly checkpoint: string;
  readonly detail: string;
  readonly vendor: string | undefined;
  /** Undefined when the evidence only states the absence (reports made before the list). */
  readonly releases: readonly ListedRelease[] | undefined;
  readonly omitted: number;
}

export type AbsenceCheckId =
  | BundleCheckId
  | 'releases-listed'
  | 'release-statements'
  | 'same-checkpoint'
  | 'release-vendor'
  | 'not-named'
  | 'log-copy'
  | 'complete';

export interface AbsenceCheck {
  readonly id: AbsenceCheckId;
  readonly status: CheckStatus;
  readonly message: string;
}

export interface AbsenceVerification {
  readonly valid: boolean;
  readonly digest: string;
  readonly vendor: string | undefined;
  readonly checkpoint: Checkpoint | undefined;
  readonly checks: readonly AbsenceCheck[];
}

const FIELDS = ['type', 'digest', 'checkpoint', 'detail', 'vendor', 'releases', 'omitted'];
const RELEASE_FIELDS = ['index', 'envelope', 'tlogProof'];

/** True when a parsed JSON document is absence evidence (`"type": "absence"`). */
export function isAbsenceDocument(json: unknown): boolean {
  return (
    typeof json === 'object' &&
    json !== null &&
    (json as Record<string, unknown>).type === 'absence'
  );
}

/**
 * Reads absence evidence strictly: bounded, JSON, only its own fields, no field twice, each
 * envelope a DSSE envelope. Throws STATEMENT_BUNDLE_INVALID naming the field.
 */
export function parseAbsence(input: Uint8Array | string): AbsenceEvidence {
  const size = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.length;
  if (size > MAX_ABSENCE_BYTES) {
    throw invalid('evidence', `is ${size} bytes, more than the ${MAX_ABSENCE_BYTES} allowed`);
  }
  const text = typeof input === 'string' ? input : Buffer.from(input).toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw invalid('evidence', `is not JSON: ${(error as Error).message}`);
  }
  if (!isAbsenceDocument(json)) throw invalid('type', 'must be "absence"');
  const repeated = firstDuplicateKey(text);
  if (repeated !== undefined) throw invalid(repeated, 'appears twice in one object');
  const record = json as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!FIELDS.includes(key)) throw invalid(key, 'is not a field of absence evidence');
  }
  const digest = record.digest;
  if (typeof digest !== 'string' || !/^sha256:[0-9a-f]{64}$/.test(digest)) {
    throw invalid('digest', 'must be sha256:<64 lowercase hex digits>');
  }
  if (typeof record.checkpoint !== 'string' || record.checkpoint === '') {
    throw invalid('checkpoint', 'must be the signed checkpoint note');
  }
  if (typeof record.detail !== 'string') throw invalid('detail', 'must be text');
  if (record.vendor !== undefined && typeof record.vendor !== 'string') {
    throw invalid('vendor', 'must be text');
  }
  const omitted = record.omitted ?? 0;
  if (typeof omitted !== 'number' || !Number.isSafeInteger(omitted) || omitted < 0) {
    throw invalid('omitted', 'must be a whole number ≥ 0');
  }
  return {
    digest,
    checkpoint: record.checkpoint,
    detail: record.detail,
    vendor: record.vendor,
    releases: record.releases === undefined ? undefined : parseReleases(record.releases),
    omitted,
  };
}

function parseReleases(value: unknown): ListedRelease[] {
  if (!Array.isArray(value)) throw invalid('releases', 'must be a list');
  if (value.length > MAX_ABSENCE_RELEASES) {
    throw invalid(
      'releases',
      `lists ${value.length}, more than the ${MAX_ABSENCE_RELEASES} allowed`,
    );
  }
  return value.map((item: unknown, i) => {
    const where = `releases[${i}]`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      throw invalid(where, 'must be an object {index, envelope, tlogProof}');
    }
    const r = item as Record<string, unknown>;
    for (const key of Object.keys(r)) {
      if (!RELEASE_FIELDS.includes(key)) throw invalid(`${where}.${key}`, 'is not a field');
    }
    if (typeof r.index !== 'number' || !Number.isSafeInteger(r.index) || r.index < 0) {
      throw invalid(`${where}.index`, 'must be a log index (a whole number ≥ 0)');
    }
    if (typeof r.envelope !== 'string') {
      throw invalid(`${where}.envelope`, 'must be the logged envelope as JSON text');
    }
    if (typeof r.tlogProof !== 'string') {
      throw invalid(`${where}.tlogProof`, 'must be the c2sp.org/tlog-proof text');
    }
    let envelope: Envelope;
    try {
      envelope = parseEnvelope(r.envelope);
    } catch (error) {
      if (error instanceof StatementError) {
        throw invalid(
          `${where}.envelope${error.where === undefined ? '' : `.${error.where}`}`,
          error.message,
        );
      }
      throw error;
    }
    return { index: r.index, envelope, tlogProof: r.tlogProof };
  });
}

/**
 * Verifies absence evidence offline against a trust file. Every check runs: the checkpoint
 * (log key, origin, witness quorum); each listed release (signatures, signer, schema, inclusion
 * under a checkpoint that is this very one, its index); that each is a release of the named
 * vendor; and that none names the digest. Completeness is not checked here (see the module
 * comment): `checkAbsenceInLog` adds it when a copy of the log is at hand.
 */
export function verifyAbsence(
  evidence: AbsenceEvidence,
  trust: Trust,
  options: { readonly now: Date },
): AbsenceVerification {
  const judged = judgeCheckpoint(evidence.checkpoint, trust);
  const checks: AbsenceCheck[] = [...judged.checks];
  const checkpoint = judged.checkpoint;
  const releases = evidence.releases;
  if (releases === undefined || evidence.vendor === undefined) {
    checks.push(
      fail(
        'releases-listed',
        'the evidence lists no release statements: it only states the absence, which cannot be checked (made by an older nospy check; run it again)',
      ),
    );
    return result(evidence, checkpoint, checks);
  }
  const vendor = evidence.vendor;
  const indexes = new Set(releases.map((r) => r.index));
  if (indexes.size !== releases.length) {
    checks.push(fail('releases-listed', 'a log index is listed twice'));
  } else if (evidence.omitted > 0) {
    checks.push(
      warn(
        'releases-listed',
        `${releases.length} release statement(s) of ${vendor} listed; ${evidence.omitted} more were left out to bound the size, and only a copy of the log can show they do not name the digest`,
      ),
    );
  } else {
    checks.push(
      pass('releases-listed', `${releases.length} release statement(s) of ${vendor} listed`),
    );
  }

  const broken: string[] = [];
  const elsewhere: number[] = [];
  const notRelease: number[] = [];
  const otherVendor: number[] = [];
  const naming: number[] = [];
  for (const r of releases) {
    const v = verifyBundle({ envelope: r.envelope, proof: r.tlogProof }, trust, options);
    const failed: string[] = [
      ...new Set(v.checks.filter((c) => c.status === 'fail').map((c) => c.id)),
    ];
    if (v.index !== undefined && v.index !== r.index) failed.push('index');
    if (failed.length > 0) broken.push(`${r.index} (${failed.join(', ')})`);
    if (
      v.checkpoint !== undefined &&
      checkpoint !== undefined &&
      !sameCheckpoint(v.checkpoint, checkpoint)
    ) {
      elsewhere.push(r.index);
    }
    const statement = decodeStatement(r.envelope);
    if (v.predicate !== 'release' || statement === undefined) {
      notRelease.push(r.index);
      continue;
    }
    const p = statement.predicate as { vendor?: unknown };
    if (typeof p.vendor !== 'string' || vendorKey(p.vendor) !== vendorKey(vendor)) {
      otherVendor.push(r.index);
    }
    if (
      statement.subject.some((s) => `sha256:${s.digest.sha256.toLowerCase()}` === evidence.digest)
    ) {
      naming.push(r.index);
    }
  }
  checks.push(
    broken.length === 0
      ? pass(
          'release-statements',
          `every listed statement is signed as the trust file requires and proven in the log at its index`,
        )
      : fail(
          'release-statements',
          `statements that do not verify, by log index: ${broken.join('; ')}`,
        ),
  );
  checks.push(
    elsewhere.length === 0
      ? pass('same-checkpoint', "every proof is against the evidence's checkpoint")
      : fail(
          'same-checkpoint',
          `the proofs of ${elsewhere.join(', ')} are against another checkpoint: they say nothing about this one`,
        ),
  );
  checks.push(
    notRelease.length === 0 && otherVendor.length === 0
      ? pass('release-vendor', `every listed statement is a release of ${vendor}`)
      : fail(
          'release-vendor',
          [
            notRelease.length > 0 ? `not release statements: ${notRelease.join(', ')}` : '',
            otherVendor.length > 0 ? `releases of another vendor: ${otherVendor.join(', ')}` : '',
          ]
            .filter((s) => s !== '')
            .join('; '),
        ),
  );
  checks.push(
    naming.length === 0
      ? pass('not-named', `no listed release names ${evidence.digest}`)
      : fail(
          'not-named',
          `the release(s) at log index ${naming.join(', ')} name ${evidence.digest}: it is not absent`,
        ),
  );
  return result(evidence, checkpoint, checks);
}

/** Vendor names compare as nospy check compares them: case, punctuation and spacing ignored. */
export function vendorKey(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
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

function sameCheckpoint(a: Checkpoint, b: Checkpoint): boolean {
  return a.origin === b.origin && a.size === b.size && sameHash(a.rootHash, b.rootHash);
}

function result(
  evidence: AbsenceEvidence,
  checkpoint: Checkpoint | undefined,
  checks: AbsenceCheck[],
): AbsenceVerification {
  return {
    valid: checks.every((c) => c.status !== 'fail'),
    digest: evidence.digest,
    vendor: evidence.vendor,
    checkpoint,
    checks,
  };
}

export function pass(id: AbsenceCheckId, message: string): AbsenceCheck {
  return { id, status: 'pass', message };
}

export function fail(id: AbsenceCheckId, message: string): AbsenceCheck {
  return { id, status: 'fail', message };
}

function warn(id: AbsenceCheckId, message: string): AbsenceCheck {
  return { id, status: 'warn', message };
}

function invalid(where: string, message: string): StatementError {
  return new StatementError('STATEMENT_BUNDLE_INVALID', `absence evidence: ${where} ${message}`, {
    where,
  });
}
