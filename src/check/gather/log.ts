/**
 * Reads a log's statements through the one log verifier (src/log/verify), wherever the log is:
 * its data directory (opened read-only), a copy of its tiles, or its tlog-tiles URL. Before any
 * statement is used, all three are held to the same bar: the checkpoint is signed by the trust
 * file's log key and cosigned by its witness quorum; every tile hashes to its hash in the level
 * above and the tiles give the signed root; every entry hashes to its leaf. A log that fails any
 * of it is refused (CHECK_LOG_UNVERIFIED naming the entry, tile or signature), and no report is
 * made from it. The log is read once: statements are collected from the verified entries, and
 * their c2sp.org/tlog-proofs are computed from the verified tiles against the verified
 * checkpoint. Then the checkpoint is checked against the one verified last time and those others
 * saw (src/log/consistency): a split view is a `log-inconsistency` finding.
 */
import type { InconsistencyEvidence } from '../../log/consistency/inconsistency-evidence.js';
import { LogError } from '../../log/errors.js';
import type { MonitorState } from '../../log/monitor-state.js';
import { monitorLog, type MonitorReport } from '../../log/monitor.js';
import { logTrustOf, NO_LOG_KEY_HINT } from '../../log/verify/log-trust.js';
import { verifiedHashReader } from '../../log/verify/verify-log.js';
import {
  parseEnvelope,
  verifyStatement,
  type Statement,
  type Trust,
} from '../../statements/index.js';
import { payloadDigest } from '../../statements/payload-digest.js';
import { formatTlogProof } from '../../tlog/proof-bundle.js';
import { treeView } from '../../tlog/tree.js';
import { CheckError } from '../errors.js';
import type { LoggedStatement } from '../evidence.js';

export { isLogUrl } from '../../log/verify/open-log-source.js';

/** What the check remembers of a log between runs, and what others saw of it. */
export interface LogHistory {
  /** The checkpoint verified last time for the log with this key (the state file), and where. */
  readonly recall?:
    | ((vkey: string) => { readonly state: MonitorState; readonly where: string } | undefined)
    | undefined;
  /** `--gossip`: URLs or files of checkpoints others saw. */
  readonly gossip?: readonly string[] | undefined;
  /** Resolves gossip file names. */
  readonly cwd: string;
  /** Called with the checkpoint to remember once the log verified and nothing is inconsistent. */
  readonly remember?: ((state: MonitorState) => void) | undefined;
}

export interface LogRead {
  readonly statements: LoggedStatement[];
  /** The checkpoint the proofs are against (cosigned when witnesses cosigned it). */
  readonly checkpoint: string;
  /** Entries that are not statements the trust file vouches for (not checked, counted). */
  readonly skipped: number;
  /** Proofs that the log signed two histories. */
  readonly inconsistencies: readonly InconsistencyEvidence[];
  /** The state to remember; undefined when it must not change (see `monitorLog`). */
  readonly next: MonitorState | undefined;
}

/** A verified entry that is a statement the trust file vouches for, still without its proof. */
interface Candidate {
  readonly index: number;
  readonly envelope: string;
  readonly statement: Statement;
  /** Hex SHA-256 of its signed bytes: entries with one payload are one statement. */
  readonly payload: string;
}

/** Reads, verifies and proves the statements of the log at `location`. */
export async function readLogStatements(
  location: string,
  trust: Trust,
  now: Date,
  options: {
    readonly history?: LogHistory | undefined;
    readonly onProgress?: ((done: number, total: number) => void) | undefined;
  } = {},
): Promise<LogRead> {
  const logTrust = logTrustOf(trust);
  if (logTrust === undefined) {
    throw new CheckError(
      'CHECK_INPUT_MISSING',
      `cannot read the log at ${location}: ${NO_LOG_KEY_HINT}`,
      {
        where: location,
      },
    );
  }
  const candidates: Candidate[] = [];
  // One statement, however many entries hold its payload (a late countersignature appends the
  // statement again): it counts once, from its first entry that verifies, so a countersignature
  // neither counts a release twice nor moves it after the deployments logged since.
  const payloads = new Set<string>();
  let skipped = 0;
  let report: MonitorReport;
  try {
    report = await monitorLog({
      location,
      trust: logTrust,
      previous: options.history?.recall?.(logTrust.logKey.vkey),
      gossip: options.history?.gossip,
      cwd: options.history?.cwd ?? process.cwd(),
      now,
      keepTiles: true,
      onProgress: options.onProgress,
      onEntries: (start, entries) => {
        entries.forEach((entry, offset) => {
          const candidate = statementIn(start + offset, entry, trust, now);
          if (candidate === undefined) skipped++;
          else if (!payloads.has(candidate.payload)) {
            payloads.add(candidate.payload);
            candidates.push(candidate);
          }
        });
      },
    });
  } catch (error) {
    throw asCheckError(location, error);
  }
  const { verified } = report;
  refuseUnchecked(location, report);
  const view = treeView(verified.size, verifiedHashReader(verified.size, verified.tiles));
  const statements = candidates.map(({ payload: _payload, ...c }) => ({
    ...c,
    tlogProof: formatTlogProof({
      index: c.index,
      proof: view.inclusionProof(c.index),
      checkpoint: verified.note,
    }),
  }));
  return {
    statements,
    checkpoint: verified.note,
    skipped,
    inconsistencies: report.consistency.inconsistencies,
    next: report.next,
  };
}

/** The entry as a statement that verifies under the trust file (its validity period aside). */
function statementIn(index: number, entry: Buffer, trust: Trust, now: Date): Candidate | undefined {
  let envelope;
  try {
    envelope = parseEnvelope(entry);
  } catch {
    return undefined;
  }
  const verified = verifyStatement(envelope, trust, { now });
  if (
    verified.statement === undefined ||
    !verified.checks.every((c) => c.status !== 'fail' || c.id === 'validity')
  ) {
    return undefined;
  }
  return {
    index,
    envelope: entry.toString('utf8'),
    statement: verified.statement,
    payload: payloadDigest(envelope),
  };
}

/**
 * A checkpoint whose consistency could not be checked (the log went back, or a gossip checkpoint
 * is beyond every copy at hand) stops the check, unless the log is already proven to have split:
 * then that finding is the report.
 */
function refuseUnchecked(location: string, report: MonitorReport): void {
  if (report.consistency.inconsistencies.length > 0) return;
  if (report.wentBack) {
    throw new CheckError(
      'CHECK_LOG_UNVERIFIED',
      `the log at ${location} now has size ${report.verified.size}, smaller than the checkpoint verified before: a log only grows (a rollback, a split view, or a stale copy)`,
      { where: location },
    );
  }
  const { unchecked } = report.consistency;
  if (unchecked.length > 0) {
    throw new CheckError(
      'CHECK_LOG_UNVERIFIED',
      `the log at ${location} verified at size ${report.verified.size}, but its consistency with ${unchecked.map((u) => `the checkpoint of size ${u.size} from ${u.seenBy} (${u.reason})`).join('; ')} could not be checked`,
      { where: location },
    );
  }
}

function asCheckError(location: string, error: unknown): CheckError {
  if (error instanceof CheckError) return error;
  if (error instanceof LogError) {
    if (error.code === 'LOG_UNREACHABLE') {
      return new CheckError(
        'CHECK_LOG_UNREACHABLE',
        `the log at ${location} cannot be reached: ${error.message}`,
        {
          where: error.where ?? location,
          cause: error,
        },
      );
    }
    if (error.code === 'LOG_USAGE') {
      return new CheckError('CHECK_INPUT_MISSING', error.message, {
        where: error.where ?? location,
        cause: error,
      });
    }
    return new CheckError(
      'CHECK_LOG_UNVERIFIED',
      `the log does not verify, so no report is made from it: ${error.message}`,
      { where: error.where ?? location, cause: error },
    );
  }
  // Anything else (a bad state file, a bug) keeps its own code.
  throw error;
}
