/**
 * Monitoring a log: verify all of it (`verify/verify-log.ts`) from wherever it is (a data
 * directory, a tiles copy, a URL), then check that it is one history with the checkpoint this
 * verifier saw last time and with those others saw (`consistency/`). `nospy log verify` and
 * `nospy check` both run it; the caller keeps the state file.
 */
import type { MonitorState } from './monitor-state.js';
import {
  crossCheck,
  type ConsistencyOutcome,
  type ObservedCheckpoint,
  type TreeCopy,
} from './consistency/cross-check.js';
import { observe, readGossip } from './consistency/gossip.js';
import { sourceTreeCopy, tilesTreeCopy } from './consistency/tree-copies.js';
import { openLogSource } from './verify/open-log-source.js';
import {
  verifyLog,
  type LogTrust,
  type VerifiedLog,
  type VerifyLogOptions,
} from './verify/verify-log.js';

export interface MonitorOptions {
  /** A data directory, a tiles directory or a tiles URL. */
  readonly location: string;
  readonly trust: LogTrust;
  /** What this verifier saw last time, and where that is kept (for messages). */
  readonly previous?: { readonly state: MonitorState; readonly where: string } | undefined;
  /** Checkpoints others saw: URLs or files. */
  readonly gossip?: readonly string[] | undefined;
  /** Resolves gossip file names. */
  readonly cwd: string;
  readonly now: Date;
  /** Keep the verified tiles (for inclusion proofs); otherwise a proof re-reads a few tiles. */
  readonly keepTiles?: boolean | undefined;
  readonly onEntries?: VerifyLogOptions['onEntries'];
  readonly onProgress?: VerifyLogOptions['onProgress'];
}

export interface MonitorReport {
  readonly verified: VerifiedLog;
  /** Where the log was read from, for messages. */
  readonly description: string;
  readonly consistency: ConsistencyOutcome;
  /** The previous checkpoint was larger than the log now is: it went back (or this is a stale copy). */
  readonly wentBack: boolean;
  /** The state to keep: set only when nothing is inconsistent and nothing went unchecked. */
  readonly next: MonitorState | undefined;
}

/**
 * Verifies the log at `location` and its consistency with what was seen before. Throws what
 * `verifyLog` throws (LOG_UNVERIFIED naming the part, LOG_UNREACHABLE); a gossip checkpoint the
 * log did not sign is LOG_UNVERIFIED too. Inconsistencies are data in the report.
 */
export async function monitorLog(options: MonitorOptions): Promise<MonitorReport> {
  const source = await openLogSource(options.location);
  try {
    const verified = await verifyLog(source, options.trust, {
      keepTiles: options.keepTiles,
      onEntries: options.onEntries,
      onProgress: options.onProgress,
    });
    const seen: ObservedCheckpoint = {
      checkpoint: verified.note,
      seenBy: source.description,
      opened: verified.opened.checkpoint,
    };
    const observed: ObservedCheckpoint[] = [];
    const previous = options.previous;
    if (previous !== undefined) {
      observed.push(
        observe(
          previous.state.checkpoint,
          `the checkpoint verified at ${previous.state.seenAt} (${previous.where})`,
          options.trust,
        ),
      );
    }
    const copies: TreeCopy[] = [
      options.keepTiles === true
        ? tilesTreeCopy(seen, verified.tiles)
        : sourceTreeCopy(seen, source),
    ];
    for (const location of options.gossip ?? []) {
      const gossip = await readGossip(location, options.trust, options.cwd);
      observed.push(gossip.seen);
      if (gossip.copy !== undefined) copies.push(gossip.copy);
    }
    const consistency = await crossCheck(observed, copies);
    const { origin, size, rootHash } = verified.opened.checkpoint;
    const wentBack = previous !== undefined && previous.state.size > size;
    // A smaller tree never replaces a larger one verified before.
    const clean =
      !wentBack && consistency.inconsistencies.length === 0 && consistency.unchecked.length === 0;
    return {
      verified,
      description: source.description,
      consistency,
      wentBack,
      next: clean
        ? {
            origin,
            vkey: options.trust.logKey.vkey,
            size,
            rootHash: rootHash.toString('base64'),
            checkpoint: verified.note,
            seenAt: options.now.toISOString(),
          }
        : undefined,
    };
  } finally {
    await source.close();
  }
}
