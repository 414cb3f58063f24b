import type { Logger } from '../logging/logger.js';
import type { LoadedConfig, FlagSetting } from '../config/load.js';

/** What every command action is handed: where to write, how to log, and its configuration. */
export interface CommandContext {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** `--json`: only the result goes to stdout. */
  json: boolean;
  logger: Logger;
  /**
   * Loads the configuration once per run, with the command's own flags on top
   * (flags > NOSPY_* environment > file > defaults).
   */
  config(flags?: readonly FlagSetting[]): LoadedConfig;
  /** What the process exits with when the action returns: 0 clean, 1 findings or failed verification. */
  exitCode: 0 | 1 | 2;
}

/** Writes one result: JSON when `--json` was given, else the human text. */
export function printResult(ctx: CommandContext, result: unknown, human: () => string): void {
  if (ctx.json) {
    ctx.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } else {
    const text = human();
    ctx.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }
}
