import type { Command } from 'commander';
import type { CommandContext } from '../context.js';
import { registerStoreCopyCommand } from './store-copy.js';

/**
 * `nospy store migrate`: applies the PostgreSQL schema migrations without starting a server;
 * `nospy store copy`: moves a log between stores.
 */
export function registerStoreCommands(program: Command, ctx: CommandContext): void {
  const store = program
    .command('store')
    .description('manage the database a log is stored in (store.url)')
    .helpCommand(false);
  store
    .command('migrate')
    .description(
      'apply the schema migrations a PostgreSQL store needs (nospy serve applies them at start too)',
    )
    .option('--store <url>', 'postgres://… (config: store.url, NOSPY_STORE_URL, DATABASE_URL)')
    .action(async (opts: { store?: string }) => {
      await (await import('./store-run.js')).runStoreMigrate(ctx, opts);
    });
  registerStoreCopyCommand(store, ctx);
}
