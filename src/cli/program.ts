import { Command, Option } from 'commander';
import { LOG_LEVELS } from '../config/schema.js';
import type { CommandContext } from './context.js';
import { registerConfigCommands } from './commands/config.js';
import { registerKeygenCommands } from './commands/keygen.js';
import { registerLogCommands } from './commands/log.js';
import { registerServeCommands } from './commands/serve.js';
import { registerWitnessCommands } from './commands/witness.js';
import { registerStatementCommands } from './commands/statement.js';
import { registerFlowCheckCommand, registerMudCommands } from './commands/mud.js';
import { registerFlowsCommands } from './commands/flows.js';
import { registerPolicyCommands } from './commands/policy.js';

export const EXIT_CODES_HELP = `
Exit codes:
  0  clean: nothing found, verification passed
  1  findings, or a verification that failed
  2  usage, configuration or internal error

Configuration: nospy.yaml in the working directory, or --config <file>, or NOSPY_CONFIG.
Precedence: flags > NOSPY_* environment variables > file > defaults.`;

/** Each concern adds its subcommands here; commands stay thin and call a service. */
const REGISTRARS: readonly ((program: Command, ctx: CommandContext) => void)[] = [
  registerConfigCommands,
  registerKeygenCommands,
  registerServeCommands,
  registerLogCommands,
  registerWitnessCommands,
  registerStatementCommands,
  registerFlowsCommands,
  registerMudCommands,
  // Adds `flows check` to the `flows` command, creating it if no registrar above did: keep it last.
  registerFlowCheckCommand,
  registerPolicyCommands,
];

export function buildProgram(ctx: CommandContext, version: string): Command {
  const program = new Command('nospy')
    .description(
      "Check network equipment against its vendors' signed no-spy promises and the law:\n" +
        'signed statements, a witnessed transparency log, flow, firmware and policy checks.',
    )
    .version(version, '-V, --version', 'print the version')
    .option('-c, --config <file>', 'configuration file (default ./nospy.yaml; env NOSPY_CONFIG)')
    .option('--json', 'print only the result, as JSON, on stdout')
    .addOption(new Option('--log-level <level>', 'log level on stderr').choices(LOG_LEVELS))
    .option('--log-pretty', 'human-readable logs instead of JSON lines')
    .showSuggestionAfterError(true)
    .showHelpAfterError('(run nospy --help for the list of commands)')
    .addHelpText('after', EXIT_CODES_HELP)
    // Set before any subcommand exists: commander copies these settings into each new one.
    .exitOverride()
    .configureOutput({
      writeOut: (text) => ctx.stdout.write(text),
      writeErr: (text) => ctx.stderr.write(text),
    });
  for (const register of REGISTRARS) register(program, ctx);
  return program;
}
