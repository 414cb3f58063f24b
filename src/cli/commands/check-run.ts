// The work of `nospy check`, loaded only when it runs (check.ts registers it): help and the
// other commands do not pay for these imports. See src/cli/command-index.ts.
import { configFlags } from '../config-flags.js';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, basename, isAbsolute, relative, resolve } from 'node:path';
import { SingleBar } from 'cli-progress';
import {
  CHECK_STAGES,
  renderHtml,
  renderTextReport,
  runCheck,
  type CheckEvidence,
  type Report,
} from '../../check/index.js';
import { checkCoverage } from '../../check/coverage.js';
import { notCheckedReason } from '../../config/check-configured.js';
import { dashboardAddress } from '../dashboard-url.js';
import { colourWanted, outputColumns } from '../terminal.js';
import { formatFindingFile } from '../../check/finding-file.js';
import { reportWithHistory } from '../../check/report-history.js';
import type { FindingHistory } from '../../check/finding-history.js';
import type { FindingStorePort } from '../../store/finding-store-port.js';
import type { StoreLocation } from '../../store/store-url.js';
import { errorText } from '../../errors/error-text.js';
import type { LogHistory } from '../../check/gather/log.js';
import { defaultStatePath, readMonitorState, writeMonitorState } from '../../log/monitor-state.js';
import { CliError } from '../errors.js';
import { printResult, type CommandContext } from '../context.js';
import { openFindingStore, storeLocationOf } from '../log-store.js';

/** Writes the file whole or not at all (a temporary file renamed into place). */
function writeAtomically(file: string, text: string): void {
  const tmp = join(dirname(file), `.${basename(file)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, file);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
}

/**
 * The log's history for the check: the state file of its key (the checkpoint verified last
 * time), written only after a run that verified the log and found it consistent.
 */
function logHistory(ctx: CommandContext, state: string | undefined, gossip: string[]): LogHistory {
  const pathFor = (vkey: string): string =>
    state === undefined ? defaultStatePath(ctx.env, vkey) : resolve(ctx.cwd, state);
  let path: string | undefined;
  return {
    cwd: ctx.cwd,
    gossip,
    recall: (vkey) => {
      path = pathFor(vkey);
      const kept = readMonitorState(path);
      if (kept !== undefined && kept.vkey !== vkey) {
        throw new CliError(
          'CLI_USAGE',
          `${path} holds the state of another log (${kept.vkey}); use another --state file`,
          { where: path },
        );
      }
      return kept === undefined ? undefined : { state: kept, where: path };
    },
    remember: (next) => {
      writeMonitorState(path ?? pathFor(next.vkey), next);
    },
  };
}

/**
 * Writes one `nospy-finding/v1` file per finding into `dir` (`<finding id>.json`), each with the
 * documents its evidence names by digest (a logged inventory), so each verifies on its own.
 */
function writeFindingFiles(dir: string, report: Report, documents: ReadonlyMap<string, Buffer>) {
  mkdirSync(dir, { recursive: true });
  for (const finding of report.findings) {
    const blobs = new Map<string, Buffer>();
    for (const part of finding.evidence) {
      if (part.type !== 'policy' || part.logged === undefined) continue;
      for (const [hex, bytes] of documents) blobs.set(hex, bytes);
    }
    writeAtomically(
      join(dir, `${finding.id}.json`),
      formatFindingFile({ evaluatedAt: report.evaluatedAt, finding, blobs }),
    );
  }
}

/**
 * Records the run in the finding history of the config's store (the data directory's database
 * or store.url's PostgreSQL database, shared with `nospy serve`) and returns every finding's
 * history. A history that cannot be written is a warning, not a failed check: the findings stand
 * without it.
 */
async function recordHistory(ctx: CommandContext, location: StoreLocation, report: Report) {
  let store: FindingStorePort | undefined;
  try {
    store = await openFindingStore(
      location.kind === 'sqlite'
        ? { kind: 'sqlite', dataDir: resolve(ctx.cwd, location.dataDir) }
        : location,
    );
    return await store.recordRun(report.evaluatedAt, report.findings);
  } catch (error) {
    ctx.logger.warn(`finding history not recorded: ${errorText(error)}`);
    return new Map<string, FindingHistory>();
  } finally {
    await store?.close();
  }
}

/** A path as the user is best shown it: relative to the working directory when inside it. */
function shownPath(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}

/** The options of `nospy check` (check.ts). */
export interface CheckOptions {
  html?: string;
  since?: string;
  state?: string;
  gossip?: string[];
  evidence?: string;
  trust?: string;
  history: boolean;
}

/** `nospy check`: see check.ts. */
export async function runCheckCommand(ctx: CommandContext, options: CheckOptions): Promise<void> {
  let since: Date | undefined;
  if (options.since !== undefined) {
    since = new Date(
      /^\d{4}-\d{2}-\d{2}$/.test(options.since) ? `${options.since}T00:00:00Z` : options.since,
    );
    if (Number.isNaN(since.getTime())) {
      throw new CliError('CLI_USAGE', `--since '${options.since}' is not a date (YYYY-MM-DD)`, {
        where: '--since',
      });
    }
  }
  // A flag's path is the user's, from where they typed it; the file's are from the file.
  const loaded = ctx.config(
    configFlags({
      ...(options.trust === undefined ? {} : { trust: resolve(ctx.cwd, options.trust) }),
    }),
  );
  const tty = 'isTTY' in ctx.stderr && ctx.stderr.isTTY === true && !ctx.json;
  const bar = tty
    ? new SingleBar({
        format: 'checking [{bar}] {stage}',
        stream: ctx.stderr,
      })
    : undefined;
  bar?.start(CHECK_STAGES.length, 0, { stage: '' });
  let report;
  const now = new Date();
  let evidence: CheckEvidence | undefined;
  // The documents policy findings rest on (a logged inventory), for the evidence files.
  const documents = new Map<string, Buffer>();
  try {
    report = await runCheck(loaded, {
      now,
      onEvidence: (gathered) => {
        evidence = gathered;
        const bytes = gathered.policyInput?.bytes;
        if (bytes !== undefined)
          documents.set(createHash('sha256').update(bytes).digest('hex'), bytes);
      },
      logHistory: logHistory(ctx, options.state, options.gossip ?? []),
      onStage: (stage) => bar?.update(CHECK_STAGES.indexOf(stage) + 1, { stage }),
    });
  } finally {
    bar?.stop();
  }
  // The whole run is recorded (a finding outside --since is still seen), then filtered.
  report = reportWithHistory(
    report,
    options.history ? await recordHistory(ctx, storeLocationOf(loaded.config), report) : new Map(),
    since,
  );
  const html = options.html === undefined ? undefined : resolve(ctx.cwd, options.html);
  if (html !== undefined) writeAtomically(html, renderHtml(report));
  const evidenceDir =
    options.evidence === undefined ? undefined : resolve(ctx.cwd, options.evidence);
  if (evidenceDir !== undefined) writeFindingFiles(evidenceDir, report, documents);
  const trust =
    loaded.config.trust === undefined
      ? undefined
      : resolve(
          loaded.file === undefined ? ctx.cwd : dirname(resolve(loaded.file)),
          loaded.config.trust,
        );
  const final = report;
  printResult(ctx, final, () =>
    renderTextReport(final, {
      width: outputColumns(ctx.stdout),
      colour: colourWanted(ctx.env, ctx.stdout),
      generatedAt: now.toISOString(),
      coverage: evidence === undefined ? undefined : checkCoverage(loaded.config.check, evidence),
      devices: evidence?.inventory,
      notChecked: notCheckedReason(loaded.config, loaded.file),
      since: since?.toISOString(),
      next: {
        dashboard: dashboardAddress(loaded),
        html,
        evidence: evidenceDir,
        trust: trust === undefined ? undefined : shownPath(ctx.cwd, trust),
      },
    }),
  );
  if (report.findings.length > 0) ctx.exitCode = 1;
}
