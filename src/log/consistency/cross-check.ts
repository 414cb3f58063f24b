/**
 * Split views: every checkpoint of a log that a verifier has seen (the one it verified now, the
 * one it verified last time, those others saw) must describe one append-only history. Two roots
 * at one size, or a tree whose first m leaves do not give the root the log signed for size m,
 * is a proof that the log showed different histories to different parties
 * (`inconsistency-evidence.ts`).
 *
 * A checkpoint of size m is checked against a copy of a larger signed tree (one whose tiles the
 * verifier can read): the full consistency path from m is taken from that tree and must lead to
 * its signed root, so a copy that serves wrong tiles proves nothing either way. A checkpoint
 * larger than every copy at hand cannot be checked yet, and is reported as such.
 */
import type { Checkpoint } from '../../tlog/checkpoint.js';
import { rootsFromConsistencyPath, sameHash } from '../../tlog/proof.js';
import {
  inconsistencyEvidence,
  type InconsistencyEvidence,
  type SeenCheckpoint,
} from './inconsistency-evidence.js';

/** A checkpoint signed by the log key (its signature already verified), and who saw it. */
export interface ObservedCheckpoint extends SeenCheckpoint {
  readonly opened: Checkpoint;
}

/** A signed tree whose hashes can be read: the verified log, or another server's copy. */
export interface TreeCopy {
  readonly seen: ObservedCheckpoint;
  /** SUBPROOF(m, D[0:size], false) for 0 < m < size, from this copy's tiles. */
  fullConsistencyPath(m: number): Promise<Buffer[]>;
}

export interface ConsistencyOutcome {
  readonly inconsistencies: readonly InconsistencyEvidence[];
  /** Checkpoints found consistent with a larger (or the same) verified tree. */
  readonly consistent: readonly { readonly seenBy: string; readonly size: number }[];
  /** Checkpoints that could not be checked, and why. */
  readonly unchecked: readonly {
    readonly seenBy: string;
    readonly size: number;
    readonly reason: string;
  }[];
}

/**
 * Checks every observed checkpoint against the others and the tree copies. A checkpoint is
 * consistent when a chain of proofs, each against a strictly larger copy, leads from it to the
 * largest checkpoint seen; one that cannot be linked so is unchecked, never assumed consistent.
 */
export async function crossCheck(
  observed: readonly ObservedCheckpoint[],
  copies: readonly TreeCopy[],
): Promise<ConsistencyOutcome> {
  const all = dedupe([...copies.map((c) => c.seen), ...observed]);
  const inconsistencies: InconsistencyEvidence[] = [];
  const conflicted = new Set<ObservedCheckpoint>();
  const report = (
    evidence: InconsistencyEvidence,
    a: ObservedCheckpoint,
    b: ObservedCheckpoint,
  ) => {
    inconsistencies.push(evidence);
    conflicted.add(a).add(b);
  };

  // Two roots at one size: nothing more is needed.
  const bySize = new Map<number, ObservedCheckpoint>();
  for (const c of all) {
    const first = bySize.get(c.opened.size);
    if (first === undefined) bySize.set(c.opened.size, c);
    else report(inconsistencyEvidence(first, c, []), first, c);
  }

  // Each checkpoint linked to the largest copy that can prove it a prefix of its tree.
  const largest = [...copies].sort((a, b) => b.seen.opened.size - a.seen.opened.size);
  const parent = new Map<ObservedCheckpoint, ObservedCheckpoint>();
  const why = new Map<ObservedCheckpoint, string>();
  for (const c of all) {
    const { size, rootHash } = c.opened;
    const refusals: string[] = [];
    for (const copy of largest) {
      const n = copy.seen.opened.size;
      if (n <= size) break;
      let path: Buffer[];
      let roots;
      try {
        path = await copy.fullConsistencyPath(size);
        roots = rootsFromConsistencyPath(size, n, path);
      } catch (error) {
        refusals.push(`${copy.seen.seenBy} gave no consistency proof: ${(error as Error).message}`);
        continue;
      }
      if (!sameHash(roots.newRoot, copy.seen.opened.rootHash)) {
        refusals.push(`${copy.seen.seenBy} serves tiles that do not give its signed root`);
        continue;
      }
      if (sameHash(roots.oldRoot, rootHash)) parent.set(c, copy.seen);
      else report(inconsistencyEvidence(c, copy.seen, path), c, copy.seen);
      break;
    }
    if (refusals.length > 0) why.set(c, refusals.join('; '));
  }

  const top = all.reduce<ObservedCheckpoint | undefined>(
    (best, c) => (best === undefined || c.opened.size > best.opened.size ? c : best),
    undefined,
  );
  const rootOf = (c: ObservedCheckpoint): ObservedCheckpoint => {
    let at = c;
    const chain = new Set<ObservedCheckpoint>();
    while (parent.has(at) && !chain.has(at)) {
      chain.add(at);
      at = parent.get(at) as ObservedCheckpoint;
    }
    return at;
  };
  const open = all.filter((c) => !conflicted.has(c));
  const linked = (c: ObservedCheckpoint) =>
    top !== undefined && !conflicted.has(top) && rootOf(c) === top;
  const allLinked = open.every(linked);
  const consistent: { seenBy: string; size: number }[] = [];
  const unchecked: { seenBy: string; size: number; reason: string }[] = [];
  for (const c of open) {
    const entry = { seenBy: c.seenBy, size: c.opened.size };
    if (linked(c) && (c !== top || allLinked)) {
      consistent.push(entry);
    } else if (c === top) {
      unchecked.push({
        ...entry,
        reason:
          why.get(c) ??
          `no copy of the log's tree at size ${c.opened.size} or more could be read to show the smaller checkpoints are its prefixes`,
      });
    } else {
      const end = rootOf(c);
      unchecked.push({
        ...entry,
        reason:
          why.get(end) ??
          `it could not be linked to the largest checkpoint seen (size ${top?.opened.size ?? 0}, ${top?.seenBy ?? ''})`,
      });
    }
  }
  return { inconsistencies, consistent, unchecked };
}

/** One entry per distinct checkpoint text (cosignatures aside), the first sighting kept. */
function dedupe(list: readonly ObservedCheckpoint[]): ObservedCheckpoint[] {
  const seen = new Set<string>();
  return list.filter((c) => {
    const key = `${c.opened.size}:${c.opened.rootHash.toString('hex')}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
