import type { Command } from 'commander';
import type { CommandContext } from '../context.js';
import type { CopyOptions } from './store-copy-run.js';

/**
 * `nospy store copy --from <url> --to <url>`: moves a whole log between stores (a data directory
 * and PostgreSQL, either way), verifying it against the log key on the way (src/log/copy).
 */
export function registerStoreCopyCommand(store: Command, ctx: CommandContext): void {
  store
    .command('copy')
    .description(
      "copy a whole log (entries, tiles, checkpoint, statement index, blobs) into an empty store, verifying every entry against the source's signed checkpoint",
    )
    .requiredOption(
      '--from <url>',
      'the store holding the log: postgres://…, sqlite:<dir> or a directory',
    )
    .requiredOption('--to <url>', 'an empty store: postgres://…, sqlite:<dir> or a directory')
    .option('--trust <file>', "trust file naming the log's key")
    .option('--log-vkey <vkey>', 'the log verifier key (or a file holding it), without --trust')
    .action(async (opts: CopyOptions) => {
      await (await import('./store-copy-run.js')).runStoreCopy(ctx, opts);
    });
}
