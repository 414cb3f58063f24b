import type { Command } from 'commander';
import type { CommandContext } from '../context.js';
import type { VerifyOptions } from './log-verify-run.js';

const repeat = (value: string, all: string[]) => [...all, value];

/**
 * `nospy log verify <log>`: verify all of a log (a data directory, a tiles directory or a tiles
 * URL) against the trust file's keys, and that it is one history with the checkpoint seen last
 * time and those others saw. Exit 0: verified and consistent; 1: the log signed two histories
 * (the evidence is printed, and written with --evidence); 2: it does not verify, or could not
 * be checked.
 */
export function registerLogVerifyCommand(log: Command, ctx: CommandContext): void {
  log
    .command('verify')
    .description(
      'verify every entry, tile and signature of a log against its keys, and that it only grew since the last run and agrees with checkpoints others saw',
    )
    .argument(
      '<log>',
      'a log data directory, a PostgreSQL store (postgres://…), a directory of its tiles, or its tiles URL',
    )
    .option('--trust <file>', 'trust file: the log key, the witnesses and their quorum')
    .option('--log-vkey <vkey>', 'the log verifier key (or a file holding it), without --trust')
    .option(
      '--witness <vkey>',
      'a witness cosignature verifier key (or file); repeatable',
      repeat,
      [],
    )
    .option('--quorum <n>', 'witness cosignatures required (default: all given witnesses)')
    .option(
      '--state <file>',
      'where the last verified checkpoint is kept (default under $XDG_STATE_HOME/nospy/monitor)',
    )
    .option(
      '--gossip <url|file>',
      "a checkpoint seen elsewhere: another server's URL, a witness's cosigned checkpoint, a note or state file; repeatable",
      repeat,
      [],
    )
    .option('--evidence <dir>', 'write each proof of inconsistency to this directory')
    .action(async (location: string, opts: VerifyOptions) => {
      await (await import('./log-verify-run.js')).runLogVerify(ctx, location, opts);
    });
}
