// The work of `nospy flows`'s commands, loaded only when one of them runs (flows.ts registers
// them): help and the other commands do not pay for these imports. See src/cli/command-index.ts.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { FLOW_CONSUMER } from '../../bus/flow-subjects.js';
import { FlowCollector, type ListenerKind } from '../../flows/collector.js';
import { decodeCaptureBytes, openFlowInput } from '../../flows/decode-capture.js';
import { FlowFileWriter, type FlowFileFormat } from '../../flows/flow-file.js';
import { FLOW_STORE_DIR } from '../../flows/flow-store.js';
import { readZeekConnLog } from '../../flows/zeek.js';
import { configFlags } from '../config-flags.js';
import { CliError } from '../errors.js';
import type { CommandContext } from '../context.js';

export interface DecodeOptions {
  format: FlowFileFormat;
}

export interface CollectOptions {
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

export async function runFlowsDecode(
  ctx: CommandContext,
  file: string,
  options: DecodeOptions,
): Promise<void> {
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
}

export async function runFlowsCollect(ctx: CommandContext, options: CollectOptions): Promise<void> {
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
    store = join(resolve(ctx.cwd, ctx.config(configFlags({ data })).config.data), FLOW_STORE_DIR);
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
}
