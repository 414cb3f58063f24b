import type { Command } from 'commander';
import type { CommandContext } from '../context.js';
import type { WitnessServeOptions } from './witness-run.js';

/** `nospy witness serve`: a c2sp.org/tlog-witness cosigning the logs it is told to follow. */
export function registerWitnessCommands(program: Command, ctx: CommandContext): void {
  const witness = program
    .command('witness')
    .description('run a witness that cosigns logs (c2sp.org/tlog-witness)')
    .helpCommand(false);
  witness
    .command('serve')
    .description('serve POST /add-checkpoint; prints the cosignature verifier key (type 0x04)')
    .option('--data <dir>', 'data directory for the witness state (config: data)')
    .option('--store <url>', 'sqlite:<dir>, a directory, or postgres://… (config: store.url)')
    .requiredOption(
      '--key <file>',
      'the witness private key (PRIVATE+KEY+…, e.g. from nospy keygen)',
    )
    .requiredOption(
      '--log <vkey>',
      'verifier key (or file) of a log to witness; repeatable',
      (value: string, all: string[]) => [...all, value],
      [],
    )
    .option('--port <port>', 'TCP port (config: server.port, default 8080)')
    .option('--host <host>', 'address to listen on (config: server.host, default 127.0.0.1)')
    .action(async (opts: WitnessServeOptions) => {
      await (await import('./witness-run.js')).runWitnessServe(ctx, opts);
    });
}
