import type { Command } from 'commander';
import { printResult, type CommandContext } from '../context.js';

export function registerConfigCommands(program: Command, ctx: CommandContext): void {
  const config = program
    .command('config')
    .description('inspect the configuration')
    .helpCommand(false);
  config
    .command('show')
    .description('validate the configuration and print the effective values')
    .action(async () => {
      // yaml is loaded with the configuration when a command runs, not for `config --help`.
      const { stringify } = await import('yaml');
      const loaded = ctx.config();
      const redacted = redactSecrets(loaded.config);
      printResult(ctx, { file: loaded.file ?? null, config: redacted }, () =>
        [
          `# ${loaded.file ?? 'no configuration file; defaults and environment'}`,
          stringify(redacted),
        ].join('\n'),
      );
    });
}

/** A database URL may carry a password: show the URL without it. */
function redactSecrets<T>(config: T): T {
  return JSON.parse(
    JSON.stringify(config, (key, value: unknown) =>
      typeof value === 'string' && /url$/i.test(key)
        ? value.replace(/\/\/([^:@/]+):[^@/]+@/, '//$1:***@')
        : value,
    ),
  ) as T;
}
