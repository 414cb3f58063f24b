import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { FLOW_CONSUMER, FLOW_STREAM, FLOW_SUBJECT_PREFIX } from '../../bus/flow-subjects.js';
import { loadDeviceMap, loadGrants } from '../../mud/load.js';
import { SqliteTrafficStore } from '../../traffic/sqlite-traffic-store.js';
import { PostgresTrafficStore } from '../../traffic/postgres-traffic-store.js';
import type { TrafficStorePort } from '../../traffic/traffic-store-port.js';
import { TrafficWorker, type TrafficPolicy } from '../../traffic/traffic-worker.js';
import { CliError } from '../errors.js';
import type { CommandContext } from '../context.js';

interface WorkerOptions {
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

/**
 * `postgres://…` (or `postgresql://…`): the database every worker shares; `sqlite:<file>` or a
 * plain path: a SQLite file, shared by the workers of one machine.
 */
async function openTrafficStore(url: string, cwd: string): Promise<TrafficStorePort> {
  if (/^postgres(ql)?:\/\//i.test(url)) return PostgresTrafficStore.open(url);
  return new SqliteTrafficStore(
    resolve(cwd, url.startsWith('sqlite:') ? url.slice('sqlite:'.length) : url),
  );
}

function mtime(file: string | undefined): number {
  if (file === undefined) return 0;
  try {
    return statSync(file).mtimeMs;
  } catch {
    return -1;
  }
}

export function registerTrafficCommands(program: Command, ctx: CommandContext): void {
  const traffic = program
    .command('traffic')
    .description('judge flow batches from NATS JetStream continuously into stored aggregates');
  traffic
    .command('worker')
    .description(
      "consume flow batches through the shared durable consumer, run the MUD and access-grant check, add the findings' sums to the store",
    )
    .requiredOption('--bus <url>', 'NATS JetStream (nats://host:4222)')
    .requiredOption('--store <url>', 'traffic store: postgres://… or sqlite:<file>')
    .option('--bus-stream <name>', 'JetStream stream of the flow batches', FLOW_STREAM)
    .option('--bus-subject <prefix>', 'subject prefix of the flow batches', FLOW_SUBJECT_PREFIX)
    .option('--consumer <name>', 'durable consumer the workers share', FLOW_CONSUMER)
    .option(
      '--ack-wait <seconds>',
      'redeliver a message not acknowledged within this time (set when the consumer is created)',
      Number,
      30,
    )
    .option('--grants <file>', 'access grants: devices, sources, ports, time window')
    .option('--stats-interval <seconds>', 'log the counters every N seconds (0: never)', Number, 10)
    .action(async (options: WorkerOptions) => {
      const loaded = ctx.config();
      const devicesPath = loaded.config.check.devices;
      if (devicesPath === undefined)
        throw new CliError('CLI_USAGE', 'the config names no check.devices (the device map)');
      const base = loaded.file === undefined ? ctx.cwd : dirname(loaded.file);
      const devicesFile = resolve(base, devicesPath);
      const grantsFile =
        options.grants === undefined ? undefined : resolve(ctx.cwd, options.grants);
      const read = (): TrafficPolicy => ({
        devices: loadDeviceMap(devicesFile),
        grants: grantsFile === undefined ? [] : loadGrants(grantsFile),
      });
      let policy = read();
      // Opened before anything else starts: a store that cannot be used stops the start at once.
      const store = await openTrafficStore(options.store, ctx.cwd);
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
        await store.close();
        ctx.logger.info({ counts: worker.counts }, 'traffic worker stopped');
      }
    });
}
