import type { Command } from 'commander';
import type { CommandContext } from '../context.js';
import type { CheckOptions } from './check-run.js';

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
    .action(async (options: CheckOptions) => {
      await (await import('./check-run.js')).runCheckCommand(ctx, options);
    });
}
