import { randomBytes } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { CHECK_STAGES, renderHtml, renderText, runCheck } from '../../check/index.js';
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

export function registerCheckCommands(program: Command, ctx: CommandContext): void {
  program
    .command('check')
    .description(
      'check the log, inventory, flows, firmware, SBOMs and rule packs the config names; exit 1 on findings',
    )
    .option('--html <file>', 'also write a self-contained HTML report')
    .option('--since <date>', 'only findings last seen at or after this date (YYYY-MM-DD)')
    .action(async (options: { html?: string; since?: string }) => {
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
          ...(since === undefined ? {} : { since }),
          onStage: (stage) => bar?.update(CHECK_STAGES.indexOf(stage) + 1, { stage }),
        });
      } finally {
        bar?.stop();
      }
      if (options.html !== undefined) writeAtomically(options.html, renderHtml(report));
      printResult(ctx, report, () => renderText(report));
      if (report.findings.length > 0) ctx.exitCode = 1;
    });
}
