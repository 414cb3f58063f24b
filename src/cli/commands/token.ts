import { closeSync, openSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { LogError } from '../../log/errors.js';
import { parseScopes, SCOPES } from '../../server/auth/scopes.js';
import { newToken, tokenLine } from '../../server/auth/token-file.js';
import { printResult, type CommandContext } from '../context.js';

/**
 * `nospy token add --scope <scopes> --tokens <file> [--name <name>]`: a new bearer token for the
 * server (docs/security.md). Only its SHA-256 is appended to the tokens file (created mode 0600);
 * the token itself is printed once and kept nowhere. A running server takes it within a second
 * (it watches the file), or at once on SIGHUP.
 */
export function registerTokenCommands(program: Command, ctx: CommandContext): void {
  const token = program.command('token').description("the server's bearer tokens");
  token
    .command('add')
    .description('create a token, append its hash to the tokens file, and print the token once')
    .requiredOption('--scope <scopes>', `comma-separated scopes: ${SCOPES.join(', ')}`)
    .requiredOption('--tokens <file>', 'the tokens file `nospy serve --tokens` reads')
    .option('--name <name>', 'who holds it (kept in the file beside the hash)', '')
    .action((opts: { scope: string; tokens: string; name: string }) => {
      const scopes = parseScopes(opts.scope);
      if ('problem' in scopes) {
        throw new LogError('LOG_USAGE', `--scope ${opts.scope}: ${scopes.problem}`, {
          where: '--scope',
        });
      }
      const secret = newToken();
      const file = resolve(ctx.cwd, opts.tokens);
      try {
        // Append: the file is a list, and two operators adding at once must not lose a line.
        const fd = openSync(file, 'a', 0o600);
        try {
          writeSync(fd, tokenLine(secret, scopes, opts.name));
        } finally {
          closeSync(fd);
        }
      } catch (error) {
        throw new LogError(
          'LOG_USAGE',
          `cannot write ${opts.tokens}: ${(error as Error).message}`,
          {
            where: opts.tokens,
            cause: error,
          },
        );
      }
      printResult(ctx, { token: secret, scopes, name: opts.name, file }, () => secret);
    });
}
