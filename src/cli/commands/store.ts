import type { Command } from 'commander';
import { LogError } from '../../log/errors.js';
import { migrate } from '../../store/postgres/migrations.js';
import { openPostgresPool } from '../../store/postgres/pool.js';
import { redactStoreUrl } from '../../store/store-url.js';
import { configFlags } from '../config-flags.js';
import { printResult, type CommandContext } from '../context.js';
import { storeLocationOf } from '../log-store.js';
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
      const { config } = ctx.config(configFlags(opts));
      const location = storeLocationOf(config);
      if (location.kind !== 'postgres') {
        throw new LogError(
          'LOG_USAGE',
          'nospy store migrate needs a postgres://… store (--store, store.url or DATABASE_URL); the embedded SQLite database is brought up to date whenever it is opened',
          { where: '--store' },
        );
      }
      const pool = await openPostgresPool(location.url, { max: 1 });
      try {
        const outcome = await migrate(pool);
        const result = {
          store: redactStoreUrl(location.url),
          from: outcome.from,
          to: outcome.to,
          applied: outcome.applied.map((m) => ({ version: m.version, description: m.description })),
        };
        printResult(ctx, result, () =>
          outcome.applied.length === 0
            ? `schema version ${outcome.to}: up to date`
            : outcome.applied
                .map((m) => `applied ${m.version}: ${m.description}`)
                .concat(`schema version ${outcome.from} → ${outcome.to}`)
                .join('\n'),
        );
      } finally {
        await pool.end();
      }
    });
  registerStoreCopyCommand(store, ctx);
}
