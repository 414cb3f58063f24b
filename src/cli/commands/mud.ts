import type { Command } from 'commander';
import type { CommandContext } from '../context.js';

/** `nospy mud check`: one verdict per flow record against one device's MUD file. */
export function registerMudCommands(program: Command, ctx: CommandContext): void {
  const mud = program
    .command('mud')
    .description('judge flow records against MUD files (RFC 8520)')
    .helpCommand(false);
  mud
    .command('check')
    .description(
      'one verdict per record (input order): direction, allowed|violation, deciding rule; exit 1 on any violation or record not of the device',
    )
    .requiredOption('--mud <file.json>', 'the MUD file of the device')
    .requiredOption(
      '--context <ctx.yaml>',
      'operator context: device, local networks, DNS, controllers, peers',
    )
    .requiredOption(
      '--flows <file>',
      'flow records, CSV or NDJSON (the `nospy flows decode` columns)',
    )
    .action(async (opts: { mud: string; context: string; flows: string }) => {
      await (await import('./mud-run.js')).runMudCheck(ctx, opts);
    });
}

/**
 * `nospy flows check`: the behaviour check over many devices. Registered under the `flows`
 * command, which it creates only when no other registrar has.
 */
export function registerFlowCheckCommand(program: Command, ctx: CommandContext): void {
  const flows =
    program.commands.find((c) => c.name() === 'flows') ??
    program.command('flows').description('flow records').helpCommand(false);
  flows
    .command('check')
    .description(
      'judge every record against the MUD file of the device it touches; findings are undeclared traffic and unapproved management access; exit 1 on any',
    )
    .requiredOption('--devices <map.yaml>', 'device map: id, addresses, mud file, context')
    .requiredOption('--flows <file>', 'flow records, CSV or NDJSON')
    .option('--grants <file>', 'access grants: devices, sources, ports, time window')
    .action(async (opts: { devices: string; flows: string; grants?: string }) => {
      await (await import('./mud-run.js')).runFlowsCheck(ctx, opts);
    });
}
