import type { Command } from 'commander';
import type { CommandContext } from '../context.js';
import { registerLogVerifyCommand } from './log-verify.js';

/** `nospy log add` (append without a server) and `nospy log verify` (monitor a log). */
export function registerLogCommands(program: Command, ctx: CommandContext): void {
  const log = program
    .command('log')
    .description('append to a local log, or monitor a remote one')
    .helpCommand(false);
  log
    .command('add')
    .description(
      'append each file as one entry to the log in --data (no server); prints "<file>: appended as entry <N>" per file',
    )
    .option('--data <dir>', 'data directory holding nospy.db (config: data)')
    .option('--store <url>', 'sqlite:<dir>, a directory, or postgres://… (config: store.url)')
    .requiredOption('--log-key <file>', 'the log private key (PRIVATE+KEY+…)')
    .argument('<file...>', 'files to append, each one entry of at most 65,535 bytes')
    .action(async (files: string[], opts: { data?: string; store?: string; logKey: string }) => {
      await (await import('./log-run.js')).runLogAdd(ctx, files, opts);
    });
  registerLogVerifyCommand(log, ctx);
}
