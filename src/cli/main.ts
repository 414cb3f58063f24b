import { readFileSync } from 'node:fs';
import { CommanderError } from 'commander';
import type { LoadedConfig } from '../config/load.js';
import { isNospyError } from '../errors/nospy-error.js';
import { capInputBytes } from '../io/bounded-read.js';
import type { Logger } from '../logging/logger.js';
import type { LevelWithSilent } from 'pino';
import { COMMANDS, commandOf, loadCommands } from './command-index.js';
import { CliError } from './errors.js';
import { exitCodeOf } from './exit-codes.js';
import type { CommandContext } from './context.js';
import { buildProgram, joinSubcommandVersionValue } from './program.js';

const MINIMUM_NODE: readonly [number, number] = [20, 19];

export interface MainIo {
  readonly stdout?: NodeJS.WritableStream;
  readonly stderr?: NodeJS.WritableStream;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly cwd?: string;
}

/**
 * Runs one command line and returns the exit code; the only place that turns errors into exit
 * codes. `process.exit` is never called here, so tests run commands in-process.
 */
export async function main(argv: readonly string[], io: MainIo = {}): Promise<number> {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  try {
    checkNodeVersion(process.versions.node);
  } catch (error) {
    stderr.write(`nospy: ${(error as Error).message}\n`);
    return 2;
  }
  const env = io.env ?? process.env;
  try {
    capInputBytes(inputCapOf(env.NOSPY_MAX_INPUT_BYTES));
  } catch (error) {
    return exitCodeFor(error, stderr);
  }
  let loaded: LoadedConfig | undefined;
  // The configuration and logging modules load when a command runs (the preAction hook), not
  // for `--help` or `--version`: start-up pays only for what the command line asks.
  let loadConfig: typeof import('../config/load.js').loadConfig | undefined;
  let logger: Logger | undefined;
  const ctx: CommandContext = {
    stdout,
    stderr,
    env,
    cwd: io.cwd ?? process.cwd(),
    json: false,
    get logger(): Logger {
      if (logger === undefined) throw new Error('the logger is used before the command runs');
      return logger;
    },
    set logger(value: Logger) {
      logger = value;
    },
    exitCode: 0,
    config(flags) {
      if (loadConfig === undefined)
        throw new Error('the configuration is read before the command runs');
      if (loaded === undefined || flags !== undefined) {
        const opts = program.opts<GlobalOptions>();
        loaded = loadConfig({ file: opts.config, env, flags: flags ?? [], cwd: ctx.cwd });
      }
      return loaded;
    },
  };
  const words = joinSubcommandVersionValue(argv);
  const command = commandOf(words);
  const program = buildProgram(
    ctx,
    packageVersion(),
    COMMANDS,
    await loadCommands(command === undefined ? [] : [command]),
  );
  program.hook('preAction', async () => {
    const opts = program.opts<GlobalOptions>();
    ctx.json = opts.json === true;
    const [config, logging] = await Promise.all([
      import('../config/load.js'),
      import('../logging/logger.js'),
    ]);
    loadConfig = config.loadConfig;
    // Logging settings come from the configuration, so a bad config fails every command.
    const { config: settings } = ctx.config();
    ctx.logger = logging.createLogger({
      level: opts.logLevel ?? settings.logging.level,
      pretty: opts.logPretty ?? settings.logging.pretty,
      destination: stderr,
    });
  });
  try {
    await program.parseAsync(words, { from: 'user' });
    return ctx.exitCode;
  } catch (error) {
    return exitCodeFor(error, stderr);
  }
}

interface GlobalOptions {
  config?: string;
  json?: boolean;
  logLevel?: LevelWithSilent;
  logPretty?: boolean;
}

function exitCodeFor(error: unknown, stderr: NodeJS.WritableStream): number {
  if (error instanceof CommanderError) {
    // Help and version are successful outcomes; commander already printed every other message.
    return error.code === 'commander.helpDisplayed' ||
      error.code === 'commander.help' ||
      error.code === 'commander.version'
      ? 0
      : 2;
  }
  if (isNospyError(error)) {
    stderr.write(`nospy: ${error.message} [${error.code}]\n`);
    return exitCodeOf(error);
  }
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  stderr.write(`nospy: internal error: ${detail}\n`);
  return 2;
}

/** `NOSPY_MAX_INPUT_BYTES`: a cap on every input file, below each reader's own limit. */
function inputCapOf(text: string | undefined): number | undefined {
  if (text === undefined || text === '') return undefined;
  const bytes = Number(text);
  if (!/^[0-9]+$/.test(text) || !Number.isSafeInteger(bytes)) {
    throw new CliError(
      'CLI_USAGE',
      `NOSPY_MAX_INPUT_BYTES must be a whole number of bytes, not '${text}'`,
    );
  }
  return bytes;
}

export function checkNodeVersion(version: string): void {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  const [wantMajor, wantMinor] = MINIMUM_NODE;
  if (major < wantMajor || (major === wantMajor && minor < wantMinor)) {
    throw new CliError(
      'CLI_UNSUPPORTED_NODE',
      `Node.js ${wantMajor}.${wantMinor} or newer is required; this is ${version}`,
    );
  }
}

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}
