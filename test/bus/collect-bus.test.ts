/**
 * `nospy collect --bus`: the built binary receives real exporter datagrams over UDP and publishes
 * binary flow batches to a real NATS JetStream server (started by the test on its own port and
 * store), beside its NDJSON file; with the bus down it buffers, counts what it drops on /metrics,
 * and drains when the bus comes up.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { decodeFlowBatch } from '../../src/flows/flow-batch.js';
import { formatFlowNdjson } from '../../src/flows/flow-file-format.js';
import type { FlowRecord } from '../../src/flows/flow-record.js';
import { natsServer, type TestNatsServer } from '../helpers/nats-server.js';
import { requireTools, toolPath } from '../helpers/require-tools.js';
import { children, killChildren, sendDatagrams } from './pipeline-support.js';

const BIN = fileURLToPath(new URL('../../bin/nospy.js', import.meta.url));
const RAW = join(import.meta.dirname, '../fixtures/flows/raw');
// 21 NetFlow v9 records (Cisco ASR 9000) and 26 IPFIX records (OpenBSD pflow), templates first.
const NETFLOW = ['netflow9_test_cisco_asr9k_tpl260.dat', 'netflow9_test_cisco_asr9k_data260.dat'];
const IPFIX = ['ipfix_test_openbsd_pflow_tpl.dat', 'ipfix_test_openbsd_pflow_data.dat'];
const read = (files: string[]) => files.map((f) => readFileSync(join(RAW, f)));

afterEach(killChildren);

interface Collector {
  readonly child: ChildProcessWithoutNullStreams;
  readonly ports: Record<string, number>;
  readonly metricsPort: number;
  readonly stderr: () => string;
}

function collect(cwd: string, args: string[]): Promise<Collector> {
  const child = spawn(
    process.execPath,
    [
      BIN,
      'collect',
      '--netflow',
      '0',
      '--ipfix',
      '0',
      '--host',
      '127.0.0.1',
      '--metrics',
      '0',
      ...args,
    ],
    { cwd, env: { PATH: process.env.PATH }, stdio: 'pipe' },
  );
  children.push(child);
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
      const line = err.split('\n').find((l) => l.includes('"collector listening"'));
      if (line === undefined) return;
      const logged = JSON.parse(line) as {
        listeners: { kind: string; port: number }[];
        metricsPort: number;
      };
      resolve({
        child,
        ports: Object.fromEntries(logged.listeners.map((l) => [l.kind, l.port])),
        metricsPort: logged.metricsPort,
        stderr: () => err,
      });
    });
    child.on('exit', (code) => {
      reject(new Error(`collect exited with ${code}: ${err}`));
    });
  });
}

async function metrics(c: Collector): Promise<string> {
  return (await fetch(`http://127.0.0.1:${c.metricsPort}/metrics`)).text();
}

async function until(what: string, test: () => Promise<boolean>, tries = 300): Promise<void> {
  for (let i = 0; i < tries; i += 1) {
    if (await test()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Every record in the stream, decoded from its batches, with each message's subject. */
async function streamRecords(
  url: string,
  stream: string,
): Promise<{ subjects: string[]; records: FlowRecord[] }> {
  const nc = await connect({ servers: url });
  try {
    const info = await (await jetstreamManager(nc)).streams.info(stream);
    const consumer = await jetstream(nc).consumers.get(stream);
    const subjects: string[] = [];
    const records: FlowRecord[] = [];
    const messages = await consumer.fetch({ max_messages: info.state.messages, expires: 5000 });
    for await (const m of messages) {
      subjects.push(m.subject);
      records.push(...decodeFlowBatch(m.data).records);
      if (subjects.length === info.state.messages) break;
    }
    return { subjects, records };
  } finally {
    await nc.close();
  }
}

describe('nospy collect --bus', () => {
  const haveNats = requireTools('nats-server');
  let nats: TestNatsServer | undefined;
  // A name no other run uses: parallel runs never share a stream.
  const run = `T${process.pid}_${Date.now().toString(36)}`;
  beforeAll(async () => {
    if (!haveNats) return;
    nats = await natsServer(toolPath('nats-server') as string);
  });
  const server = (): TestNatsServer => {
    if (nats === undefined) throw new Error('no nats-server');
    return nats;
  };
  afterAll(async () => {
    await nats?.dispose();
  });

  it('publishes what it writes to its file, one message per exporter batch, subjects by exporter', async () => {
    await server().start();
    const dir = mkdtempSync(join(tmpdir(), 'nospy-collect-bus-'));
    const stream = `${run}_A`;
    const c = await collect(dir, [
      '--out',
      'flows.ndjson',
      '--bus',
      server().url,
      '--bus-stream',
      stream,
      '--bus-subject',
      `${run}.flows`,
    ]);
    await sendDatagrams(c.ports.netflow as number, read(NETFLOW));
    await sendDatagrams(c.ports.ipfix as number, read(IPFIX));
    await until('47 records on the bus', async () =>
      (await metrics(c)).includes('nospy_flow_bus_published_records_total 47'),
    );
    const exit = new Promise((resolve) => c.child.once('exit', resolve));
    c.child.kill('SIGTERM');
    expect(await exit).toBe(0);
    const file = readFileSync(join(dir, 'flows.ndjson'), 'utf8').trim().split('\n');
    expect(file).toHaveLength(47);
    const { subjects, records } = await streamRecords(server().url, stream);
    // The same records on the bus as in the file, field for field.
    expect(records.map(formatFlowNdjson).sort()).toEqual([...file].sort());
    expect(records).toHaveLength(47);
    expect(new Set(subjects)).toEqual(new Set([`${run}.flows.127_0_0_1`]));
    expect(records.filter((r) => r.exporter === '127.0.0.1')).toHaveLength(47);
  });

  it('buffers while the bus is down, drains when it comes up, and counts nothing as lost', async () => {
    await server().stop();
    const dir = mkdtempSync(join(tmpdir(), 'nospy-collect-bus-'));
    const stream = `${run}_B`;
    const c = await collect(dir, [
      '--bus',
      server().url,
      '--bus-stream',
      stream,
      '--bus-subject',
      `${run}.b`,
    ]);
    await sendDatagrams(c.ports.netflow as number, read(NETFLOW));
    await sendDatagrams(c.ports.ipfix as number, read(IPFIX));
    await until('the batches buffered', async () => {
      const text = await metrics(c);
      return (
        text.includes('nospy_flow_records_total 47') &&
        !text.includes('nospy_flow_bus_buffered_bytes 0')
      );
    });
    expect(await metrics(c)).toContain('nospy_flow_bus_connected 0');
    await server().start();
    await until('the buffer drained', async () =>
      (await metrics(c)).includes('nospy_flow_bus_published_records_total 47'),
    );
    const text = await metrics(c);
    expect(text).toContain('nospy_flow_bus_dropped_records_total{reason="bus-buffer-full"} 0');
    expect(text).toContain('nospy_flow_bus_buffered_bytes 0');
    expect((await streamRecords(server().url, stream)).records).toHaveLength(47);
  });

  it('drops what does not fit its buffer while the bus is down and says why on /metrics', async () => {
    await server().stop();
    const dir = mkdtempSync(join(tmpdir(), 'nospy-collect-bus-'));
    // Room for about one small batch: the second exporter stream's records do not fit.
    const c = await collect(dir, [
      '--bus',
      server().url,
      '--bus-stream',
      `${run}_C`,
      '--bus-subject',
      `${run}.c`,
      '--bus-buffer',
      '0.002',
    ]);
    await sendDatagrams(c.ports.netflow as number, read(NETFLOW));
    await until('the first batch buffered', async () =>
      (await metrics(c)).includes('nospy_flow_records_total 21'),
    );
    await sendDatagrams(c.ports.ipfix as number, read(IPFIX));
    await until('the drop counted', async () =>
      (await metrics(c)).includes(
        'nospy_flow_bus_dropped_records_total{reason="bus-buffer-full"} 26',
      ),
    );
    expect(await metrics(c)).toContain('nospy_flow_bus_connected 0');
  });
});
