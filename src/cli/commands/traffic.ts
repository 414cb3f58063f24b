import type { Command } from 'commander';
import { FLOW_CONSUMER, FLOW_STREAM, FLOW_SUBJECT_PREFIX } from '../../bus/flow-subjects.js';
import type { CommandContext } from '../context.js';
import type { WorkerOptions } from './traffic-run.js';

export function registerTrafficCommands(program: Command, ctx: CommandContext): void {
  const traffic = program
    .command('traffic')
    .description('judge flow batches from NATS JetStream continuously into stored aggregates');
  traffic
    .command('worker')
    .description(
      "consume flow batches through the shared durable consumer, run the MUD and access-grant check, add the findings' sums to the store",
    )
    .option('--bus <url>', "NATS JetStream (nats://host:4222; default: the config's nats.url)")
    .option(
      '--store <url>',
      "traffic store: postgres://… or sqlite:<file> (default: the config's traffic.store, else <data>/traffic.db)",
    )
    .option('--bus-stream <name>', 'JetStream stream of the flow batches', FLOW_STREAM)
    .option('--bus-subject <prefix>', 'subject prefix of the flow batches', FLOW_SUBJECT_PREFIX)
    .option('--consumer <name>', 'durable consumer the workers share', FLOW_CONSUMER)
    .option(
      '--ack-wait <seconds>',
      'redeliver a message not acknowledged within this time (set when the consumer is created)',
      Number,
      30,
    )
    .option(
      '--grants <file>',
      "access grants beside the log's access-session statements: devices, sources, ports, time window",
    )
    .option(
      '--reload-interval <seconds>',
      'look this often for a new log checkpoint or changed device map, contexts, MUD files or grants',
      Number,
      5,
    )
    .option('--stats-interval <seconds>', 'log the counters every N seconds (0: never)', Number, 10)
    .action(async (options: WorkerOptions) => {
      await (await import('./traffic-run.js')).runTrafficWorker(ctx, options);
    });
}
