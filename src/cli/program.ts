import { Command, Option } from 'commander';
import { LOG_LEVELS } from '../config/log-levels.js';
import type { CommandEntry, Registrar } from './command-index.js';
import type { CommandContext } from './context.js';

export const EXIT_CODES_HELP = `
Exit codes:
  0  clean: nothing found, verification passed
  1  findings, or a verification that failed
  2  usage, configuration or internal error

Configuration: nospy.yaml in the working directory, or --config <file>, or NOSPY_CONFIG.
Precedence: flags > NOSPY_* environment variables > file > defaults.`;

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

/**
 * The program: the commands of `loaded` built by their registrars, every other command of
 * `index` a placeholder with its name and description only, so that help lists every command
 * and a mistyped one still gets its suggestions.
 */
export function buildProgram(
  ctx: CommandContext,
  version: string,
  index: readonly CommandEntry[],
  loaded: ReadonlyMap<CommandEntry, readonly Registrar[]>,
): Command {
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
  const ran = new Set<Registrar>();
  for (const entry of index) {
    for (const register of loaded.get(entry) ?? []) {
      // One registrar may build several commands (`sbom` and `osv`): run it once.
      if (ran.has(register)) continue;
      ran.add(register);
      register(program, ctx);
    }
  }
  // Placeholders after the built commands: a registrar may build a command beside its own.
  for (const entry of index) {
    if (!program.commands.some((c) => c.name() === entry.name))
      program.command(entry.name).description(entry.description);
  }
  return program;
}
