// The work of `nospy log verify`'s commands, loaded only when one of them runs (log-verify.ts registers
// them): help and the other commands do not pay for these imports. See src/cli/command-index.ts.
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  formatInconsistency,
  type InconsistencyEvidence,
} from '../../log/consistency/inconsistency-evidence.js';
import { LogError } from '../../log/errors.js';
import { monitorLog, type MonitorReport } from '../../log/monitor.js';
import { defaultStatePath, readMonitorState, writeMonitorState } from '../../log/monitor-state.js';
import { isLogUrl } from '../../log/verify/open-log-source.js';
import { isPostgresUrl } from '../../store/store-url.js';
import { writeFileAtomically } from '../../statements/files.js';
import { logTrustFromOptions } from '../log-trust-options.js';
import { printResult, type CommandContext } from '../context.js';

export interface VerifyOptions {
  trust?: string;
  logVkey?: string;
  witness: string[];
  quorum?: string;
  state?: string;
  gossip: string[];
  evidence?: string;
}

/** A checkpoint that could not be checked is a failure to verify, never a pass (exit 2). */
function refuseUnchecked(report: MonitorReport, previousSize: number | undefined): void {
  const size = report.verified.size;
  if (report.wentBack) {
    throw new LogError(
      'LOG_UNVERIFIED',
      `${report.description} now has size ${size}, smaller than the size ${previousSize ?? 0} verified before: a log only grows (a rollback, a split view, or a stale copy); the state is kept`,
    );
  }
  const { unchecked } = report.consistency;
  if (unchecked.length > 0) {
    throw new LogError(
      'LOG_UNVERIFIED',
      `the log verified at size ${size}, but its consistency with ${unchecked.map((u) => `the checkpoint of size ${u.size} from ${u.seenBy} (${u.reason})`).join('; ')} could not be checked`,
    );
  }
}

/** Writes each evidence as `log-inconsistency-<16 hex>.json`; returns the files. */
function writeEvidence(dir: string, list: readonly InconsistencyEvidence[]): string[] {
  if (list.length === 0) return [];
  mkdirSync(dir, { recursive: true });
  return list.map((evidence) => {
    const text = formatInconsistency(evidence);
    const id = createHash('sha256')
      .update(`${evidence.older.checkpoint}\u0000${evidence.newer.checkpoint}`)
      .digest('hex')
      .slice(0, 16);
    const file = join(dir, `log-inconsistency-${id}.json`);
    writeFileAtomically(file, Buffer.from(text));
    return file;
  });
}

function result(
  report: MonitorReport,
  previousSize: number | undefined,
  statePath: string,
  files: readonly string[],
): unknown {
  const { verified, consistency } = report;
  return {
    ok: consistency.inconsistencies.length === 0,
    log: report.description,
    origin: verified.opened.checkpoint.origin,
    size: verified.size,
    rootHash: verified.rootHash.toString('base64'),
    tiles: verified.tileCount,
    entries: verified.entryCount,
    cosignatures: verified.opened.cosignatures.length,
    previousSize: previousSize ?? null,
    consistent: consistency.consistent,
    unchecked: consistency.unchecked,
    inconsistencies: consistency.inconsistencies,
    evidenceFiles: files,
    state: statePath,
  };
}

function verifiedText(report: MonitorReport, previousSize: number | undefined): string {
  const { verified, consistency } = report;
  const others = consistency.consistent.filter((c) => c.seenBy !== report.description);
  return [
    `OK ${verified.opened.checkpoint.origin}: size ${verified.size}, root ${verified.rootHash.toString('base64')}`,
    `   ${verified.tileCount} tiles and ${verified.entryCount} entries verified from ${report.description}; ${verified.opened.cosignatures.length} witness cosignature(s)`,
    previousSize === undefined
      ? '   first run: no earlier checkpoint to compare with'
      : `   consistent with the checkpoint of size ${previousSize} seen before`,
    ...others
      .filter((c) => !c.seenBy.startsWith('the checkpoint verified at'))
      .map((c) => `   consistent with the checkpoint of size ${c.size} from ${c.seenBy}`),
  ].join('\n');
}

function inconsistentText(report: MonitorReport, files: readonly string[]): string {
  const list = report.consistency.inconsistencies;
  return [
    `INCONSISTENT ${report.verified.opened.checkpoint.origin}: the log signed ${list.length === 1 ? 'two histories' : `${list.length} pairs of incompatible checkpoints`}`,
    ...list.map((e) => `   ${e.detail}`),
    files.length > 0
      ? `   evidence: ${files.join(', ')} (check it with: nospy verify <file> --trust <trust file>)`
      : '   the evidence (--json, or --evidence <dir>) is checked offline with: nospy verify <file> --trust <trust file>',
  ].join('\n');
}

export async function runLogVerify(
  ctx: CommandContext,
  location: string,
  opts: VerifyOptions,
): Promise<void> {
  const trust = logTrustFromOptions(ctx, opts);
  const statePath =
    opts.state === undefined
      ? defaultStatePath(ctx.env, trust.logKey.vkey)
      : resolve(ctx.cwd, opts.state);
  const state = readMonitorState(statePath);
  if (state !== undefined && state.vkey !== trust.logKey.vkey) {
    throw new LogError(
      'LOG_USAGE',
      `${statePath} holds the state of another log (${state.vkey}); use another --state file`,
    );
  }
  const now = new Date();
  const report = await monitorLog({
    location: isLogUrl(location) || isPostgresUrl(location) ? location : resolve(ctx.cwd, location),
    trust,
    previous: state === undefined ? undefined : { state, where: statePath },
    gossip: opts.gossip,
    cwd: ctx.cwd,
    now,
  });
  const { inconsistencies } = report.consistency;
  const files =
    opts.evidence === undefined
      ? []
      : writeEvidence(resolve(ctx.cwd, opts.evidence), inconsistencies);
  if (inconsistencies.length > 0) {
    ctx.exitCode = 1;
    printResult(ctx, result(report, state?.size, statePath, files), () =>
      inconsistentText(report, files),
    );
    return;
  }
  refuseUnchecked(report, state?.size);
  // Only a fully verified, consistent view is remembered.
  if (report.next !== undefined) writeMonitorState(statePath, report.next);
  printResult(ctx, result(report, state?.size, statePath, files), () =>
    verifiedText(report, state?.size),
  );
}
