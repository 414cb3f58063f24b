/**
 * Completeness of a proof of absence, given a copy of the log: the copy's first `size` entries
 * must hash (RFC 9162 §2.1.1) to the checkpoint's root, so they are exactly the entries the
 * checkpoint commits to; then every one of them is read, and none may be a release naming the
 * digest, and the vendor's releases among them must be exactly the ones the evidence lists.
 * The entries are handed in by a reader (`log-copy.ts` reads a data directory or tiles).
 */
import type { Checkpoint } from '../tlog/checkpoint.js';
import { leafHash } from '../tlog/hash.js';
import { MemoryTree } from '../tlog/memory-tree.js';
import { sameHash } from '../tlog/proof.js';
import { fail, pass, type AbsenceCheck } from './absence-checks.js';
import type { AbsenceEvidence } from './absence-evidence.js';
import { parseEnvelope } from './dsse.js';
import { RELEASE_PREDICATE_TYPE } from './predicates/release.js';
import { decodeStatement } from './statement.js';
import type { Trust } from './trust.js';
import { vendorKey } from './vendor-key.js';
import { verifyStatement } from './verify.js';

/** Reads `count` entries from `start` on (fewer only at the end of the copy). */
export type EntryReader = (start: number, count: number) => Promise<Buffer[]>;

/** Entries asked for per read: one entry bundle, so tiles are fetched once each. */
const CHUNK = 256;

/**
 * Scans every entry of a log copy up to the checkpoint's size. Returns the checks `log-copy`
 * (the copy is the checkpoint's tree) and `complete` (no release naming the digest, and the
 * listed releases are all of the vendor's). Throws only when the copy cannot be read.
 */
export async function checkAbsenceInLog(
  evidence: AbsenceEvidence,
  checkpoint: Checkpoint,
  read: EntryReader,
  trust: Trust,
  options: { readonly now: Date; readonly onProgress?: (done: number, total: number) => void },
): Promise<AbsenceCheck[]> {
  const tree = new MemoryTree();
  const naming: number[] = [];
  const unverifiedNaming: number[] = [];
  const vendorReleases: number[] = [];
  const vendor = evidence.vendor === undefined ? undefined : vendorKey(evidence.vendor);
  for (let start = 0; start < checkpoint.size; start += CHUNK) {
    const want = Math.min(CHUNK, checkpoint.size - start);
    const entries = await read(start, want);
    if (entries.length < want) {
      return [
        fail(
          'log-copy',
          `the copy holds ${start + entries.length} entries, fewer than the checkpoint's ${checkpoint.size}`,
        ),
      ];
    }
    for (const [offset, entry] of entries.slice(0, want).entries()) {
      const index = start + offset;
      tree.append(leafHash(entry));
      const found = releaseIn(entry);
      if (found === undefined) continue;
      const names = found.digests.includes(evidence.digest);
      const ours = vendor !== undefined && vendorKey(found.vendor) === vendor;
      if (!names && !ours) continue;
      // Only statements that verify count as logged releases, as in nospy check.
      const v = verifyStatement(found.envelope, trust, { now: options.now });
      const valid =
        v.statement !== undefined &&
        v.checks.every((c) => c.status !== 'fail' || c.id === 'validity');
      if (names) (valid ? naming : unverifiedNaming).push(index);
      if (ours && valid) vendorReleases.push(index);
    }
    options.onProgress?.(start + want, checkpoint.size);
  }
  const root = tree.root(checkpoint.size);
  if (!sameHash(root, checkpoint.rootHash)) {
    return [
      fail(
        'log-copy',
        `the copy's first ${checkpoint.size} entries hash to ${root.toString('base64')}, not the checkpoint's root ${checkpoint.rootHash.toString('base64')}: it is not this log`,
      ),
    ];
  }
  const checks: AbsenceCheck[] = [
    pass('log-copy', `the copy's first ${checkpoint.size} entries hash to the checkpoint's root`),
  ];
  const listed = new Set((evidence.releases ?? []).map((r) => r.index));
  const missing = vendorReleases.filter((i) => !listed.has(i));
  const problems: string[] = [];
  if (naming.length > 0) {
    problems.push(`the release(s) at log index ${naming.join(', ')} name ${evidence.digest}`);
  }
  if (missing.length > evidence.omitted) {
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
