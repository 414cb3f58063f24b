import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { generateNoteKey } from '../../tlog/note-key.js';
import { LogError } from '../../log/errors.js';
import { printResult, type CommandContext } from '../context.js';

/**
 * `nospy keygen --name <name> --out <file>`: a new Ed25519 note key (x/mod PRIVATE+KEY form) and
 * its verifier key in `<file>.vkey`.
 */
export function registerKeygenCommands(program: Command, ctx: CommandContext): void {
  program
    .command('keygen')
    .description(
      'write a new Ed25519 signed-note key (PRIVATE+KEY+… form, mode 0600), its verifier key to <out>.vkey, and print the verifier key',
    )
    .requiredOption(
      '--name <name>',
      'key name; for a log key, the log origin (e.g. log.example.com/nospy)',
    )
    .requiredOption(
      '--out <file>',
      'file to write the private key to, and <file>.vkey its verifier key (never overwritten)',
    )
    .action((opts: { name: string; out: string }) => {
      const key = generateNoteKey(opts.name);
      const path = resolve(ctx.cwd, opts.out);
      try {
        // wx: refuse to overwrite an existing key; 0600: the key is a secret.
        writeFileSync(path, `${key.skey}\n`, { mode: 0o600, flag: 'wx' });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        throw new LogError(
          code === 'EEXIST' ? 'LOG_KEY_EXISTS' : 'LOG_USAGE',
          code === 'EEXIST'
            ? `${opts.out} already exists; a key file is never overwritten`
            : `cannot write ${opts.out}: ${(error as Error).message}`,
          { where: opts.out, cause: error },
        );
      }
      // The verifier key beside the key: what the parties put in their trust files.
      const vkeyFile = `${path}.vkey`;
      try {
        writeFileSync(vkeyFile, `${key.vkey}\n`, { flag: 'wx' });
      } catch (error) {
        throw new LogError(
          'LOG_USAGE',
          `wrote ${opts.out} but cannot write ${opts.out}.vkey: ${(error as Error).message}`,
          { where: `${opts.out}.vkey`, cause: error },
        );
      }
      printResult(ctx, { name: key.name, vkey: key.vkey, file: path, vkeyFile }, () => key.vkey);
    });
}
