// The work of `nospy check`'s commands, loaded only when one of them runs (check.ts registers
// them): help and the other commands do not pay for these imports. See src/cli/command-index.ts.
import { configFlags } from '../config-flags.js';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, basename, resolve } from 'node:path';
import { SingleBar } from 'cli-progress';
import { CHECK_STAGES, renderHtml, renderText, runCheck, type Report } from '../../check/index.js';
import { formatFindingFile } from '../../check/finding-file.js';
import { reportWithHistory } from '../../check/report-history.js';
import type { FindingHistory } from '../../check/finding-history.js';
import { SqliteFindingStore } from '../../store/sqlite/sqlite-finding-store.js';
import { errorText } from '../../errors/error-text.js';
import type { LogHistory } from '../../check/gather/log.js';
import { defaultStatePath, readMonitorState, writeMonitorState } from '../../log/monitor-state.js';
import { CliError } from '../errors.js';
import { printResult, type CommandContext } from '../context.js';

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

async function recordHistory(ctx: CommandContext, dataDir: string, report: Report) {
  let store: SqliteFindingStore | undefined;
  try {
    store = new SqliteFindingStore(resolve(ctx.cwd, dataDir));
    return await store.recordRun(report.evaluatedAt, report.findings);
  } catch (error) {
    ctx.logger.warn(`finding history not recorded: ${errorText(error)}`);
    return new Map<string, FindingHistory>();
  } finally {
    await store?.close();
  }
}

export async function runCheckCommand(
  ctx: CommandContext,
  options: {
    html?: string;
    since?: string;
    state?: string;
    gossip: string[];
    evidence?: string;
    trust?: string;
    history: boolean;
  },
): Promise<void> {
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
  // The documents policy findings rest on (a logged inventory), for the evidence files.
  const documents = new Map<string, Buffer>();
  try {
    report = await runCheck(loaded, {
      now: new Date(),
      onEvidence: (evidence) => {
        const bytes = evidence.policyInput?.bytes;
        if (bytes !== undefined)
          documents.set(createHash('sha256').update(bytes).digest('hex'), bytes);
      },
      logHistory: logHistory(ctx, options.state, options.gossip),
      onStage: (stage) => bar?.update(CHECK_STAGES.indexOf(stage) + 1, { stage }),
    });
  } finally {
    bar?.stop();
  }
  // The whole run is recorded (a finding outside --since is still seen), then filtered.
  report = reportWithHistory(
    report,
    options.history ? await recordHistory(ctx, loaded.config.data, report) : new Map(),
    since,
  );
  if (options.html !== undefined) writeAtomically(options.html, renderHtml(report));
  if (options.evidence !== undefined)
    writeFindingFiles(resolve(ctx.cwd, options.evidence), report, documents);
  printResult(ctx, report, () => renderText(report));
  if (report.findings.length > 0) ctx.exitCode = 1;
}
