// The work of `nospy traffic`'s commands, loaded only when one of them runs (traffic.ts registers
// them): help and the other commands do not pay for these imports. See src/cli/command-index.ts.
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { loadDeviceMap, loadGrants } from '../../mud/load.js';
import { SqliteTrafficStore } from '../../traffic/sqlite-traffic-store.js';
import { TrafficWorker, type TrafficPolicy } from '../../traffic/traffic-worker.js';
import { CliError } from '../errors.js';
import type { CommandContext } from '../context.js';

export interface WorkerOptions {
  bus: string;
  store: string;
  busStream: string;
  busSubject: string;
  consumer: string;
  grants?: string;
  statsInterval: number;
  ackWait: number;
}

/** How often the device map and grants files are looked at for changes. */
const RELOAD_MS = 2000;

/** `sqlite:<file>` or a plain path: the SQLite file; PostgreSQL URLs are for its own adapter. */
function storeFile(url: string, cwd: string): string {
  if (/^postgres(ql)?:/i.test(url))
    throw new CliError(
      'CLI_USAGE',
      'the PostgreSQL traffic store is not available yet: use sqlite:<file>',
    );
  return resolve(cwd, url.startsWith('sqlite:') ? url.slice('sqlite:'.length) : url);
}

function mtime(file: string | undefined): number {
  if (file === undefined) return 0;
  try {
    return statSync(file).mtimeMs;
  } catch {
    return -1;
  }
}

export async function runTrafficWorker(ctx: CommandContext, options: WorkerOptions): Promise<void> {
  const loaded = ctx.config();
  const devicesPath = loaded.config.check.devices;
  if (devicesPath === undefined)
    throw new CliError('CLI_USAGE', 'the config names no check.devices (the device map)');
  const base = loaded.file === undefined ? ctx.cwd : dirname(loaded.file);
  const devicesFile = resolve(base, devicesPath);
  const grantsFile = options.grants === undefined ? undefined : resolve(ctx.cwd, options.grants);
  const read = (): TrafficPolicy => ({
    devices: loadDeviceMap(devicesFile),
    grants: grantsFile === undefined ? [] : loadGrants(grantsFile),
  });
  let policy = read();
  let stamp = [mtime(devicesFile), mtime(grantsFile)].join();
  // Reload when a file changes; a file that does not load keeps the last good policy.
  const reload = setInterval(() => {
    const now = [mtime(devicesFile), mtime(grantsFile)].join();
    if (now === stamp) return;
    stamp = now;
    try {
      policy = read();
      ctx.logger.info({ devices: policy.devices.length }, 'traffic policy reloaded');
    } catch (error) {
      ctx.logger.error({ err: error }, 'traffic policy not reloaded');
    }
  }, RELOAD_MS);
  const store = new SqliteTrafficStore(storeFile(options.store, ctx.cwd));
  const worker = new TrafficWorker({
    url: options.bus,
    names: {
      stream: options.busStream,
      subjectPrefix: options.busSubject,
      consumer: options.consumer,
    },
    store,
    policy: () => policy,
    ackWaitSeconds: options.ackWait,
  });
  const stats =
    options.statsInterval > 0
      ? setInterval(() => {
          ctx.logger.info({ counts: worker.counts }, 'traffic worker counters');
        }, options.statsInterval * 1000)
      : undefined;
  const stop = () => {
    void worker.stop();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  ctx.logger.info(
    { bus: options.bus, stream: options.busStream, consumer: options.consumer },
    'traffic worker started',
  );
  try {
    await worker.run();
  } finally {
    clearInterval(reload);
    if (stats !== undefined) clearInterval(stats);
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    store.close();
    ctx.logger.info({ counts: worker.counts }, 'traffic worker stopped');
  }
}
