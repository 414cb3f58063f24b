import { Command, Option } from 'commander';
import { LOG_LEVELS } from '../config/schema.js';
import type { CommandContext } from './context.js';
import { registerConfigCommands } from './commands/config.js';
import { registerKeygenCommands } from './commands/keygen.js';
import { registerLogCommands } from './commands/log.js';
import { registerServeCommands } from './commands/serve.js';
import { registerTokenCommands } from './commands/token.js';
import { registerWitnessCommands } from './commands/witness.js';
import { registerStatementCommands } from './commands/statement.js';
import { registerBundleCommands } from './commands/bundle.js';
import { registerFlowCheckCommand, registerMudCommands } from './commands/mud.js';
import { registerFlowsCommands } from './commands/flows.js';
import { registerPolicyCommands } from './commands/policy.js';
import { registerFirmwareCommands } from './commands/firmware.js';
import { registerSbomCommands } from './commands/sbom.js';
import { registerCheckCommands } from './commands/check.js';
import { registerDemoCommands } from './commands/demo.js';
import { registerRebuildCommands } from './commands/rebuild.js';

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
  registerTokenCommands,
  registerLogCommands,
  registerWitnessCommands,
  registerStatementCommands,
  registerBundleCommands,
  registerFlowsCommands,
  registerMudCommands,
  // Adds `flows check` to the `flows` command, creating it if no registrar above did: keep it last.
  registerFlowCheckCommand,
  registerPolicyCommands,
  registerSbomCommands,
  registerFirmwareCommands,
  registerRebuildCommands,
  registerCheckCommands,
  registerDemoCommands,
];

/** Subcommands with their own `--version <value>` option (a package version, not nospy's). */
const SUBCOMMANDS_WITH_VERSION_VALUE: readonly (readonly [string, string])[] = [['osv', 'query']];

/**
 * Commander recognises program options anywhere on the line, so the program's `-V, --version`
 * flag would swallow `nospy osv query … --version 1.2`. A flag that takes no value ignores the
 * `--version=1.2` spelling, which then reaches the subcommand; this joins the two words into
 * that spelling for the subcommands listed above, and leaves every other command line alone.
 */
export function joinSubcommandVersionValue(argv: readonly string[]): string[] {
  // The subcommand's two words, wherever program options (and their values) put them.
  const start = argv.findIndex((word, i) =>
    SUBCOMMANDS_WITH_VERSION_VALUE.some(([a, b]) => word === a && argv[i + 1] === b),
  );
  if (start < 0) return [...argv];
  const out = argv.slice(0, start + 2);
  for (let i = start + 2; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    if (arg === '--') {
      out.push(...argv.slice(i));
      break;
    }
    const value = argv[i + 1];
    if (arg === '--version' && value !== undefined) {
      out.push(`--version=${value}`);
      i += 1;
    } else out.push(arg);
  }
  return out;
}

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
