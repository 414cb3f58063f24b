import type { Command } from 'commander';
import { LogError } from '../../log/errors.js';
import {
  KEY_TYPE_COSIGNATURE_V1,
  KEY_TYPE_ED25519,
  verifierWithKeyType,
} from '../../tlog/note-key.js';
import { printResult, type CommandContext } from '../context.js';
import { readAnyKey } from './key-file.js';

/** What a key is shown as: the role decides the key type a verifier expects. */
const ROLES = ['signer', 'witness'] as const;
type KeyRole = (typeof ROLES)[number];

/**
 * `nospy key show <file> [--as witness]`: the verifier keys of a private or verifier key file.
 * One Ed25519 key signs as a log, vendor or operator (type 0x01) and cosigns as a witness
 * (cosignature/v1, type 0x04); a trust file needs the one for the role, and the two differ in
 * their key ID and type byte only, so this prints the one asked for.
 */
export function registerKeyCommands(program: Command, ctx: CommandContext): void {
  const key = program
    .command('key')
    .description("print a key's verifier keys: as a signer (Ed25519, 0x01) or as a witness (0x04)")
    .helpCommand(false);
  key
    .command('show')
    .description(
      'print the verifier key of a key file (PRIVATE+KEY+… or a .vkey) for the role given by --as',
    )
    .argument('<file>', 'a private key file (nospy keygen) or a verifier key file (<key>.vkey)')
    .option(
      '--as <role>',
      'signer (Ed25519 0x01: log, vendor, operator keys) or witness (cosignature/v1 0x04: a witness entry of a trust file, serve --witness)',
      'signer',
    )
    .action((file: string, opts: { as: string }) => {
      if (!(ROLES as readonly string[]).includes(opts.as)) {
        throw new LogError('LOG_USAGE', `--as ${opts.as}: expected one of ${ROLES.join(', ')}`, {
          where: '--as',
        });
      }
      const role = opts.as as KeyRole;
      const read = readAnyKey(ctx.cwd, file);
      const signer = verifierWithKeyType(read, KEY_TYPE_ED25519);
      const witness = verifierWithKeyType(read, KEY_TYPE_COSIGNATURE_V1);
      const shown = role === 'witness' ? witness : signer;
      printResult(
        ctx,
        { name: read.name, as: role, vkey: shown.vkey, signer: signer.vkey, witness: witness.vkey },
        () => shown.vkey,
      );
    });
}
