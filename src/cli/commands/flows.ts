import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { FLOW_CONSUMER, FLOW_STREAM, FLOW_SUBJECT_PREFIX } from '../../bus/flow-subjects.js';
import { FlowCollector, type ListenerKind } from '../../flows/collector.js';
import { decodeCaptureBytes, openFlowInput } from '../../flows/decode-capture.js';
import { FlowFileWriter, type FlowFileFormat } from '../../flows/flow-file.js';
import { FLOW_STORE_DIR } from '../../flows/flow-store.js';
import { readZeekConnLog } from '../../flows/zeek.js';
import { configFlags } from '../config-flags.js';
import { CliError } from '../errors.js';
import type { CommandContext } from '../context.js';

interface DecodeOptions {
  format: FlowFileFormat;
}

interface CollectOptions {
  netflow?: number[];
  ipfix?: number[];
  sflow?: number[];
  out?: string;
  data?: string | true;
  segmentSeconds: number;
  host: string;
  metrics?: number;
  metricsHost: string;
  statsInterval: number;
  bus?: string;
  busStream: string;
  busSubject: string;
  busBuffer: number;
}

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
      const input = openFlowInput(file);
      const writer = new FlowFileWriter(ctx.stdout, options.format);
      await writer.begin();
      let summary: Record<string, unknown>;
      if (input.kind === 'zeek') {
        const counts = await readZeekConnLog(file, (records) => writer.write(records), input.bytes);
        summary = { file, source: 'zeek', ...counts };
      } else {
        const { decoder, capture } = await decodeCaptureBytes(input.bytes, file, (records) =>
          writer.write(records),
        );
        summary = { file, source: 'capture', capture, ...decoder.counters.toJSON() };
      }
      // Records own stdout; the counters go to stderr as one JSON line.
      ctx.stderr.write(
        `${JSON.stringify({ msg: 'flows decoded', written: writer.written, ...summary })}\n`,
      );
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
      const listeners: { kind: ListenerKind; port: number }[] = [
        ...(options.netflow ?? []).map((p) => ({ kind: 'netflow' as const, port: p })),
        ...(options.ipfix ?? []).map((p) => ({ kind: 'ipfix' as const, port: p })),
        ...(options.sflow ?? []).map((p) => ({ kind: 'sflow' as const, port: p })),
      ];
      if (listeners.length === 0)
        throw new CliError('CLI_USAGE', 'give at least one of --netflow, --ipfix, --sflow');
      if (options.out === undefined && options.data === undefined && options.bus === undefined)
        throw new CliError(
          'CLI_USAGE',
          'give --out <file.ndjson>, --data [dir], --bus <url>, or several',
        );
      if (!(options.busBuffer > 0))
        throw new CliError('CLI_USAGE', '--bus-buffer must be a positive number of MiB');
      let store: string | undefined;
      if (options.data !== undefined) {
        const data = options.data === true ? undefined : options.data;
        store = join(
          resolve(ctx.cwd, ctx.config(configFlags({ data })).config.data),
          FLOW_STORE_DIR,
        );
      }
      const out = options.out === undefined ? undefined : resolve(ctx.cwd, options.out);
      const collector = new FlowCollector({
        host: options.host,
        listeners,
        out,
        store:
          store === undefined
            ? undefined
            : { dir: store, limits: { segmentMs: options.segmentSeconds * 1000 } },
        metricsPort: options.metrics,
        metricsHost: options.metricsHost,
        bus:
          options.bus === undefined
            ? undefined
            : {
                url: options.bus,
                names: {
                  stream: options.busStream,
                  subjectPrefix: options.busSubject,
                  consumer: FLOW_CONSUMER,
                },
                collectorId: `${hostname()}-${process.pid}-${randomBytes(4).toString('hex')}`,
                maxBufferBytes: options.busBuffer * 1024 * 1024,
              },
      });
      const started = await collector.start();
      ctx.logger.info(
        {
          listeners: started.listeners,
          metricsPort: started.metricsPort,
          out,
          store,
          bus: options.bus,
        },
        'collector listening',
      );
      const interval =
        options.statsInterval > 0
          ? setInterval(() => {
              ctx.logger.info({ counters: collector.summary() }, 'collector counters');
            }, options.statsInterval * 1000)
          : undefined;
      let onSignal: (() => void) | undefined;
      const signalled = new Promise<void>((done) => {
        onSignal = done;
        process.once('SIGINT', done);
        process.once('SIGTERM', done);
      });
      // An output that can no longer be written stops the collector with its error.
      const failure = await Promise.race([signalled.then(() => undefined), collector.whenFailed()]);
      if (onSignal !== undefined) {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
      if (interval !== undefined) clearInterval(interval);
      await collector.stop();
      ctx.logger.info({ counters: collector.summary() }, 'collector stopped');
      if (failure !== undefined) throw failure;
    });
}
