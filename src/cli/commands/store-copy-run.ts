// The work of `nospy store copy`, loaded only when it runs (store-copy.ts registers it): help and
// the other commands do not pay for these imports. See src/cli/command-index.ts.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { copyLog } from '../../log/copy/copy-log.js';
import { LogError } from '../../log/errors.js';
import { DATABASE_FILE } from '../../store/sqlite/database.js';
import {
  resolveStoreLocation,
  storeUrlProblem,
  type StoreLocation,
} from '../../store/store-url.js';
import { printResult, type CommandContext } from '../context.js';
import { openLogStores, type OpenedLogStores } from '../log-store.js';
import { logTrustFromOptions } from '../log-trust-options.js';

export interface CopyOptions {
  from: string;
  to: string;
  trust?: string;
  logVkey?: string;
}

/** Progress is logged every this many entries copied. */
const PROGRESS_EVERY = 1 << 16;

/** `nospy store copy`: see store-copy.ts. */
export async function runStoreCopy(ctx: CommandContext, opts: CopyOptions): Promise<void> {
  const { logKey } = logTrustFromOptions(ctx, { ...opts, witness: [] });
  const from = locationOf(ctx, opts.from, '--from');
  const to = locationOf(ctx, opts.to, '--to');
  if (from.kind === 'sqlite' && !existsSync(join(from.dataDir, DATABASE_FILE))) {
    throw new LogError(
      'LOG_UNREACHABLE',
      `--from ${from.dataDir} holds no log (no ${DATABASE_FILE})`,
      { where: '--from' },
    );
  }
  if (sameLocation(from, to)) {
    throw new LogError('LOG_USAGE', '--from and --to name the same store', { where: '--to' });
  }
  const source = await openLogStores(from);
  try {
    const destination = await openLogStores(to);
    try {
      let logged = 0;
      const outcome = await copyLog(source, destination, {
        logKey,
        onProgress: ({ entries, size }) => {
          if (entries - logged < PROGRESS_EVERY && entries < size) return;
          logged = entries;
          ctx.logger.info({ entries, size }, 'copying the log');
        },
      });
      const result = {
        from: source.name,
        to: destination.name,
        origin: outcome.origin,
        size: outcome.size,
        rootHash: outcome.rootHash.toString('base64'),
        tiles: outcome.tiles,
        statements: outcome.statements,
        blobsCopied: outcome.blobsCopied,
        blobsPresent: outcome.blobsPresent,
        cosigned: outcome.cosigned,
      };
      printResult(ctx, result, () =>
        [
          `copied ${outcome.origin}: size ${outcome.size}, root ${result.rootHash}`,
          `   from ${source.name} to ${destination.name}; every entry verified against the signed checkpoint`,
          `   ${outcome.tiles} tiles, ${outcome.statements} indexed statements, ${outcome.blobsCopied} blobs copied (${outcome.blobsPresent} already there)`,
        ].join('\n'),
      );
    } finally {
      await closeStores(destination);
    }
  } finally {
    await closeStores(source);
  }
}

function locationOf(ctx: CommandContext, url: string, flag: string): StoreLocation {
  const problem = storeUrlProblem(url);
  if (problem !== undefined)
    throw new LogError('LOG_USAGE', `${flag}: ${problem}`, { where: flag });
  const location = resolveStoreLocation(url, ctx.cwd);
  return location.kind === 'sqlite'
    ? { kind: 'sqlite', dataDir: resolve(ctx.cwd, location.dataDir) }
    : location;
}

function sameLocation(a: StoreLocation, b: StoreLocation): boolean {
  return a.kind === 'sqlite' && b.kind === 'sqlite'
    ? a.dataDir === b.dataDir
    : a.kind === 'postgres' && b.kind === 'postgres' && a.url === b.url;
}

async function closeStores(stores: OpenedLogStores): Promise<void> {
  await stores.log.close();
  await stores.close();
}
