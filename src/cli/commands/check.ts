import type { Command } from 'commander';
import type { CommandContext } from '../context.js';

/**
 * The log's history for the check: the state file of its key (the checkpoint verified last
 * time), written only after a run that verified the log and found it consistent.
 */
/**
 * Writes one `nospy-finding/v1` file per finding into `dir` (`<finding id>.json`), each with the
 * documents its evidence names by digest (a logged inventory), so each verifies on its own.
 */
/**
 * Records the run in the finding history of the config's data directory (shared with `nospy
 * serve`) and returns every finding's history. A history that cannot be written is a warning,
 * not a failed check: the findings stand without it.
 */
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
    .option('--html <file>', 'also write a self-contained HTML report')
    .option(
      '--since <date>',
      'only findings last seen at or after this date (YYYY-MM-DD), first seen taken from the finding history',
    )
    .option(
      '--no-history',
      "do not record this run in the finding history (nospy.db in the config's data directory)",
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
      (value: string, all: string[]) => [...all, value],
      [],
    )
    .action(
      async (options: {
        html?: string;
        since?: string;
        state?: string;
        gossip: string[];
        evidence?: string;
        trust?: string;
        history: boolean;
      }) => {
        await (await import('./check-run.js')).runCheckCommand(ctx, options);
      },
    );
}
