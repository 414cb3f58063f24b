import { configFlags } from '../config-flags.js';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, basename, isAbsolute, relative, resolve } from 'node:path';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
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

/** `check --help` after the options: what is printed, the exit codes, the environment. */
const CHECK_HELP = `
Prints as of when and what was and was not checked, the findings by vendor and
device with the clause or rule each breaks, then the next steps (the dashboard
of the configured server, --evidence, --html). Wrapped to the terminal's width
(80 columns when not a terminal); severities coloured on a terminal only.

Environment:
  NO_COLOR=<any>       no colour (no-color.org)
  FORCE_COLOR=1|0      colour even in a pipe, or never; wins over NO_COLOR
  NOSPY_CHECK_<FIELD>  a field of the configuration's check: section

Exit codes:
  0  no findings in what was checked
  1  findings
  2  usage, configuration or input error, or a log that does not verify`;

/** A path as the user is best shown it: relative to the working directory when inside it. */
function shownPath(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}

export function registerCheckCommands(program: Command, ctx: CommandContext): void {
  program
    .command('check')
    .description(
      'check the log, inventory, flows, firmware, SBOMs and rule packs the config names; exit 1 on findings',
    )
    .option(
      '--trust <file>',
      'trust file the log statements are verified against (config: trust; a relative path is taken from the working directory)',
    )
    .option(
      '--html <file>',
      'also write the report as one self-contained HTML page (printed: where it was written)',
    )
    .option(
      '--since <date>',
      'only findings last seen at or after this date (YYYY-MM-DD), first seen taken from the finding history',
    )
    .option(
      '--no-history',
      'do not record this run in the finding history (in the store: store.url, else nospy.db in the data directory)',
    )
    .option(
      '--evidence <dir>',
      'also write one file per finding (<finding id>.json, nospy-finding/v1) that nospy verify checks offline',
    )
    .option(
      '--state <file>',
      "where the log's last verified checkpoint is kept (default under $XDG_STATE_HOME/nospy/monitor, shared with nospy log verify)",
    )
    .option(
      '--gossip <url|file>',
      "a checkpoint of the log seen elsewhere: another server's URL, a witness's cosigned checkpoint, a note or state file; repeatable",
      (value: string, all: string[] | undefined) => [...(all ?? []), value],
    )
    // --config, --json and the log options are the program's: listed here too.
    .configureHelp({ showGlobalOptions: true })
    .addHelpText('after', CHECK_HELP)
    .action(
      async (options: {
        html?: string;
        since?: string;
        state?: string;
        gossip?: string[];
        evidence?: string;
        trust?: string;
        history: boolean;
      }) => {
        let since: Date | undefined;
        if (options.since !== undefined) {
          since = new Date(
            /^\d{4}-\d{2}-\d{2}$/.test(options.since)
              ? `${options.since}T00:00:00Z`
              : options.since,
          );
          if (Number.isNaN(since.getTime())) {
            throw new CliError(
              'CLI_USAGE',
              `--since '${options.since}' is not a date (YYYY-MM-DD)`,
              {
                where: '--since',
              },
            );
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
          options.history
            ? await recordHistory(ctx, storeLocationOf(loaded.config), report)
            : new Map(),
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
            coverage:
              evidence === undefined ? undefined : checkCoverage(loaded.config.check, evidence),
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
      },
    );
}
