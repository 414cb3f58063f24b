import { randomBytes } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, basename, resolve } from 'node:path';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { CHECK_STAGES, renderHtml, renderText, runCheck } from '../../check/index.js';
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

export function registerCheckCommands(program: Command, ctx: CommandContext): void {
  program
    .command('check')
    .description(
      'check the log, inventory, flows, firmware, SBOMs and rule packs the config names; exit 1 on findings',
    )
    .option('--html <file>', 'also write a self-contained HTML report')
    .option('--since <date>', 'only findings last seen at or after this date (YYYY-MM-DD)')
    .option(
      '--state <file>',
      "where the log's last verified checkpoint is kept (default under $XDG_STATE_HOME/nospy/monitor, shared with nospy log verify)",
    )
    .option(
      '--gossip <url|file>',
      "a checkpoint of the log seen elsewhere: another server's URL, a witness's cosigned checkpoint, a note or state file; repeatable",
      (value: string, all: string[]) => [...all, value],
      [],
    )
    .action(
      async (options: { html?: string; since?: string; state?: string; gossip: string[] }) => {
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
        const loaded = ctx.config();
        const tty = 'isTTY' in ctx.stderr && ctx.stderr.isTTY === true && !ctx.json;
        const bar = tty
          ? new SingleBar({
              format: 'checking [{bar}] {stage}',
              stream: ctx.stderr,
            })
          : undefined;
        bar?.start(CHECK_STAGES.length, 0, { stage: '' });
        let report;
        try {
          report = await runCheck(loaded, {
            now: new Date(),
            logHistory: logHistory(ctx, options.state, options.gossip),
            ...(since === undefined ? {} : { since }),
            onStage: (stage) => bar?.update(CHECK_STAGES.indexOf(stage) + 1, { stage }),
          });
        } finally {
          bar?.stop();
        }
        if (options.html !== undefined) writeAtomically(options.html, renderHtml(report));
        printResult(ctx, report, () => renderText(report));
        if (report.findings.length > 0) ctx.exitCode = 1;
      },
    );
}
