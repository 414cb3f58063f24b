/**
 * Proof of absence, verified offline (this file, pure): a verifier learns that the checkpoint is
 * the log's, with its witness quorum; each listed statement is a release of that vendor, signed
 * as the trust file requires and included in the log under that very checkpoint; and none of
 * them names the digest. What offline checking cannot show is that the list is complete: a
 * release left out of the list would go unseen. That needs the log itself (`absence-log.ts`).
 * The evidence format and its parsing are `absence-evidence.ts`'s.
 */
import type { Checkpoint } from '../tlog/checkpoint.js';
import { sameHash } from '../tlog/proof.js';
import { fail, pass, warn, type AbsenceCheck } from './absence-checks.js';
import type { AbsenceEvidence } from './absence-evidence.js';
import { judgeCheckpoint, verifyBundle } from './bundle.js';
import { decodeStatement } from './statement.js';
import type { Trust } from './trust.js';
import { sameVendor } from '../inventory/vendor-identity.js';

export interface AbsenceVerification {
  readonly valid: boolean;
  readonly digest: string;
  readonly vendor: string | undefined;
  readonly checkpoint: Checkpoint | undefined;
  readonly checks: readonly AbsenceCheck[];
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
    if (typeof p.vendor !== 'string' || !sameVendor(p.vendor, vendor)) {
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
