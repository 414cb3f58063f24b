// The work of `nospy traffic`'s commands, loaded only when one of them runs (traffic.ts registers
// them): help and the other commands do not pay for these imports. See src/cli/command-index.ts.
import { dirname, resolve } from 'node:path';
import { defaultTrafficStore, openTrafficStore } from '../../traffic/open-traffic-store.js';
import { trafficPolicySource } from '../../traffic/traffic-policy-source.js';
import { TrafficWorker } from '../../traffic/traffic-worker.js';
import { CliError } from '../errors.js';
import type { CommandContext } from '../context.js';
import { redactStoreUrl } from '../../store/store-url.js';

export interface WorkerOptions {
  bus?: string;
  store?: string;
  busStream: string;
  busSubject: string;
  consumer: string;
  grants?: string;
  statsInterval: number;
  ackWait: number;
  reloadInterval: number;
}

/** `nospy traffic worker`: see traffic.ts. */
export async function runTrafficWorker(ctx: CommandContext, options: WorkerOptions): Promise<void> {
  const loaded = ctx.config();
  if (loaded.config.check.devices === undefined)
    throw new CliError('CLI_USAGE', 'the config names no check.devices (the device map)');
  const bus = options.bus ?? loaded.config.nats.url;
  if (bus === undefined)
    throw new CliError(
      'CLI_USAGE',
      'no bus: give --bus nats://host:4222 or nats.url in the config',
    );
  const base = loaded.file === undefined ? ctx.cwd : dirname(resolve(loaded.file));
  const storeUrl =
    options.store ??
    loaded.config.traffic.store ??
    defaultTrafficStore(resolve(ctx.cwd, loaded.config.data));
  const source = trafficPolicySource(
    loaded,
    ctx.cwd,
    options.grants === undefined ? undefined : resolve(ctx.cwd, options.grants),
  );
  let stamp = await source.fingerprint();
  let policy = await source.load(new Date());
  // Reload when an input changed; inputs that do not load keep the last good policy.
  let reloading = false;
  const reload = setInterval(() => {
    if (reloading) return;
    reloading = true;
    void (async () => {
      try {
        const now = await source.fingerprint();
        if (now === stamp) return;
        policy = await source.load(new Date());
        stamp = now;
        ctx.logger.info(
          { devices: policy.devices.length, grants: policy.grants.length },
          'traffic policy reloaded',
        );
      } catch (error) {
        ctx.logger.error({ err: error }, 'traffic policy not reloaded');
      } finally {
        reloading = false;
      }
    })();
  }, options.reloadInterval * 1000);
  // The store named on the command line is relative to the working directory, the config's to the config.
  const store = await openTrafficStore(storeUrl, {
    base: options.store === undefined ? base : ctx.cwd,
    create: true,
  });
  const worker = new TrafficWorker({
    url: bus,
    names: {
      stream: options.busStream,
      subjectPrefix: options.busSubject,
      consumer: options.consumer,
    },
    store,
    policy: () => policy,
    ackWaitSeconds: options.ackWait,
  });
  const delays = () => {
    const q = worker.delayQuantiles([0.5, 0.99, 1]);
    return q === undefined ? undefined : { p50: q[0], p99: q[1], max: q[2] };
  };
  const stats =
    options.statsInterval > 0
      ? setInterval(() => {
          ctx.logger.info({ counts: worker.counts, delayMs: delays() }, 'traffic worker counters');
        }, options.statsInterval * 1000)
      : undefined;
  const stop = () => {
    void worker.stop();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  ctx.logger.info(
    {
      bus,
      store: redactStoreUrl(storeUrl),
      stream: options.busStream,
      consumer: options.consumer,
      devices: policy.devices.length,
      grants: policy.grants.length,
    },
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
    ctx.logger.info({ counts: worker.counts, delayMs: delays() }, 'traffic worker stopped');
  }
}
