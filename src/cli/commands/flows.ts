import { Option, type Command } from 'commander';
import { FLOW_STREAM, FLOW_SUBJECT_PREFIX } from '../../bus/flow-subjects.js';
import { CliError } from '../errors.js';
import type { CommandContext } from '../context.js';
import type { DecodeOptions, CollectOptions } from './flows-run.js';

function port(value: string, previous: number[] | undefined): number[] {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new CliError('CLI_USAGE', `not a UDP port: ${value}`);
  return [...(previous ?? []), n];
}

function single(value: string): number {
  const [n] = port(value, []);
  return n ?? 0;
}

function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 86_400)
    throw new CliError('CLI_USAGE', `not a number of seconds between 1 and 86400: ${value}`);
  return n;
}

export function registerFlowsCommands(program: Command, ctx: CommandContext): void {
  const flows = program
    .command('flows')
    .description('decode flow telemetry (NetFlow, IPFIX, sFlow, Zeek)')
    .helpCommand(false);
  flows
    .command('decode')
    .description(
      'decode a pcap/pcapng of export datagrams (or a Zeek conn.log) into flow records, one per line',
    )
    .argument('<file>', 'capture of NetFlow v5/v9, IPFIX or sFlow v5 datagrams, or a Zeek conn.log')
    .addOption(
      new Option('--format <format>', 'output format').choices(['csv', 'ndjson']).default('csv'),
    )
    .action(async (file: string, options: DecodeOptions) => {
      await (await import('./flows-run.js')).runFlowsDecode(ctx, file, options);
    });

  program
    .command('collect')
    .description(
      "receive NetFlow/IPFIX/sFlow over UDP; append the flow records to an NDJSON file and/or nospy's flow store, and/or publish them to NATS JetStream",
    )
    .option('--netflow <port>', 'UDP port for NetFlow v5/v9 (repeatable)', port)
    .option('--ipfix <port>', 'UDP port for IPFIX (repeatable)', port)
    .option('--sflow <port>', 'UDP port for sFlow v5 (repeatable)', port)
    .option('--out <file>', 'NDJSON file the records are appended to')
    .option(
      '--data [dir]',
      'also write into the flow store <dir>/flows that `nospy check` reads (config: data)',
    )
    .option(
      '--segment-seconds <seconds>',
      'seal a flow-store segment after this many seconds',
      seconds,
      60,
    )
    .option('--bus <url>', 'also publish binary flow batches to NATS JetStream (nats://host:4222)')
    .option('--bus-stream <name>', 'JetStream stream the batches go to', FLOW_STREAM)
    .option('--bus-subject <prefix>', 'subject prefix: <prefix>.<exporter>', FLOW_SUBJECT_PREFIX)
    .option(
      '--bus-buffer <MiB>',
      'batches that may wait for an unreachable bus before they are dropped and counted',
      (v) => Number(v),
      256,
    )
    .option('--host <address>', 'address the UDP listeners bind to', '0.0.0.0')
    .option('--metrics <port>', 'serve Prometheus /metrics on this port', single)
    .option('--metrics-host <address>', 'address the /metrics listener binds to', '127.0.0.1')
    .option(
      '--stats-interval <seconds>',
      'log the counters every N seconds (0: never)',
      (v) => Number(v),
      10,
    )
    .action(async (options: CollectOptions) => {
      await (await import('./flows-run.js')).runFlowsCollect(ctx, options);
    });
}
