/**
 * Completeness of a proof of absence, given a copy of the log (a data directory, a tiles
 * directory or a tiles URL): the copy is verified by the one log verifier (src/log/verify) at the
 * evidence's own checkpoint — every entry hashes to its leaf, every tile to the level above, the
 * tiles to the signed root, the checkpoint under the trust file's log key and quorum — so the
 * entries read are exactly the ones the checkpoint commits to. Every one of them is read as it
 * is verified: none may be a release naming the digest, and the vendor's releases among them
 * must be exactly the ones the evidence lists.
 */
import { isNospyError } from '../errors/nospy-error.js';
import { LogError } from '../log/errors.js';
import type { LogSource } from '../log/verify/log-source.js';
import { logTrustOf } from '../log/verify/log-trust.js';
import { verifyLog } from '../log/verify/verify-log.js';
import type { Checkpoint } from '../tlog/checkpoint.js';
import { fail, pass, type AbsenceCheck } from './absence-checks.js';
import type { AbsenceEvidence } from './absence-evidence.js';
import { parseEnvelope } from './dsse.js';
import { payloadDigest } from './payload-digest.js';
import { RELEASE_PREDICATE_TYPE } from './predicates/release.js';
import { decodeStatement } from './statement.js';
import type { Trust } from './trust.js';
import { vendorKey } from '../inventory/vendor-identity.js';
import { verifyStatement } from './verify.js';

/**
 * Verifies the copy in `source` at the evidence's checkpoint and scans every entry. Returns the
 * checks `log-copy` (the copy is the checkpoint's tree, verified) and `complete` (no release
 * naming the digest, and the listed releases are all of the vendor's). Throws only when the copy
 * cannot be reached.
 */
export async function checkAbsenceInLog(
  evidence: AbsenceEvidence,
  checkpoint: Checkpoint,
  source: LogSource,
  trust: Trust,
  options: { readonly now: Date; readonly onProgress?: (done: number, total: number) => void },
): Promise<AbsenceCheck[]> {
  const logTrust = logTrustOf(trust);
  if (logTrust === undefined) {
    return [fail('log-copy', 'the trust file names no log key to verify the copy against')];
  }
  const naming: number[] = [];
  const unverifiedNaming: number[] = [];
  const vendorReleases: number[] = [];
  // The payload of each vendor release: entries holding one payload are one statement (a late
  // countersignature appends it again) and nospy check lists it once, by its first entry.
  const payloadAt = new Map<number, string>();
  const vendor = evidence.vendor === undefined ? undefined : vendorKey(evidence.vendor);
  try {
    await verifyLog(source, logTrust, {
      checkpoint: evidence.checkpoint,
      onProgress: options.onProgress,
      onEntries: (start, entries) => {
        entries.forEach((entry, offset) => {
          const index = start + offset;
          const found = releaseIn(entry);
          if (found === undefined) return;
          const names = found.digests.includes(evidence.digest);
          const ours = vendor !== undefined && vendor !== '' && vendorKey(found.vendor) === vendor;
          if (!names && !ours) return;
          // Only statements that verify count as logged releases, as in nospy check.
          const v = verifyStatement(found.envelope, trust, { now: options.now });
          const valid =
            v.statement !== undefined &&
            v.checks.every((c) => c.status !== 'fail' || c.id === 'validity');
          if (names) (valid ? naming : unverifiedNaming).push(index);
          if (ours && valid) {
            vendorReleases.push(index);
            payloadAt.set(index, payloadDigest(found.envelope));
          }
        });
      },
    });
  } catch (error) {
    if (error instanceof LogError && error.code === 'LOG_UNREACHABLE') throw error;
    if (!isNospyError(error)) throw error;
    return [
      fail(
        'log-copy',
        `${source.description} is not this log's tree at the checkpoint (size ${checkpoint.size}): ${error.message}`,
      ),
    ];
  }
  const checks: AbsenceCheck[] = [
    pass(
      'log-copy',
      `${source.description} holds the checkpoint's tree: its ${checkpoint.size} entries hash to their leaves and its tiles to the signed root`,
    ),
  ];
  const listed = new Set((evidence.releases ?? []).map((r) => r.index));
  const listedPayloads = new Set([...listed].map((i) => payloadAt.get(i)));
  const missing = vendorReleases.filter(
    (i) => !listed.has(i) && !listedPayloads.has(payloadAt.get(i)),
  );
  const problems: string[] = [];
  if (naming.length > 0) {
    problems.push(`the release(s) at log index ${naming.join(', ')} name ${evidence.digest}`);
  }
  if (new Set(missing.map((i) => payloadAt.get(i))).size > evidence.omitted) {
    problems.push(
      `the evidence leaves out release(s) of ${evidence.vendor ?? '?'} at log index ${missing.join(', ')}`,
    );
  }
  checks.push(
    problems.length > 0
      ? fail('complete', problems.join('; '))
      : pass(
          'complete',
          `no release among the ${checkpoint.size} entries names ${evidence.digest}; ${vendorReleases.length} release(s) of ${evidence.vendor ?? '?'} in the log${missing.length > 0 ? `, ${missing.length} of them left out of the evidence (none names the digest)` : ', all listed'}`,
        ),
  );
  if (unverifiedNaming.length > 0) {
    checks.push({
      id: 'complete',
      status: 'warn',
      message: `entries ${unverifiedNaming.join(', ')} are release statements naming the digest that do not verify with the trust file (nospy check does not count them)`,
    });
  }
  return checks;
}

interface ReleaseEntry {
  readonly envelope: ReturnType<typeof parseEnvelope>;
  readonly vendor: string;
  readonly digests: readonly string[];
}

/** The entry as a release statement (undecoded signatures), or undefined for anything else. */
function releaseIn(entry: Buffer): ReleaseEntry | undefined {
  let envelope;
  try {
    envelope = parseEnvelope(entry);
  } catch {
    return undefined;
  }
  const statement = decodeStatement(envelope);
  if (statement?.predicateType !== RELEASE_PREDICATE_TYPE) return undefined;
  const vendor = (statement.predicate as { vendor?: unknown }).vendor;
  const digests: string[] = [];
  for (const s of statement.subject as readonly unknown[]) {
    const hex = (s as { digest?: { sha256?: unknown } } | null)?.digest?.sha256;
    if (typeof hex === 'string') digests.push(`sha256:${hex.toLowerCase()}`);
  }
  return { envelope, vendor: typeof vendor === 'string' ? vendor : '', digests };
}
