// The work of `nospy store`'s commands, loaded only when one of them runs (store.ts registers
// them): help and the other commands do not pay for these imports. See src/cli/command-index.ts.
import { LogError } from '../../log/errors.js';
import { migrate } from '../../store/postgres/migrations.js';
import { openPostgresPool } from '../../store/postgres/pool.js';
import { redactStoreUrl } from '../../store/store-url.js';
import { configFlags } from '../config-flags.js';
import { printResult, type CommandContext } from '../context.js';
import { storeLocationOf } from '../log-store.js';

export async function runStoreMigrate(
  ctx: CommandContext,
  opts: { store?: string },
): Promise<void> {
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
}
