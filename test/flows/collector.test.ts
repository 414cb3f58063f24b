import { createSocket } from 'node:dgram';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FlowCollector } from '../../src/flows/collector.js';
import { FLOW_FILE_COLUMNS, readFlowFile } from '../../src/flows/flow-file.js';

const RAW = join(import.meta.dirname, '../fixtures/flows/raw');
const SEQUENCE = [
  'ipfix_test_openbsd_pflow_tpl.dat',
  'ipfix_test_openbsd_pflow_data.dat',
  'netflow9_test_cisco_asr9k_tpl260.dat',
  'netflow9_test_cisco_asr9k_data260.dat',
  'netflow5_test_invalid01.dat',
];

let collector: FlowCollector | undefined;
afterEach(async () => {
  await collector?.stop();
});

async function send(port: number, datagrams: readonly Buffer[]): Promise<void> {
  const socket = createSocket('udp4');
  for (const datagram of datagrams) {
    await new Promise<void>((resolve, reject) => {
      socket.send(datagram, port, '127.0.0.1', (error) => {
        if (error) reject(error);
        else resolve();
      });
    });
  }
  socket.close();
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i += 1)
    await new Promise((resolve) => setTimeout(resolve, 25));
}

describe('the UDP collector on loopback', () => {
  it('writes the records of real exporter datagrams as NDJSON and counts the malformed one', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'nospy-collect-')), 'flows.ndjson');
    collector = new FlowCollector({
      host: '127.0.0.1',
      listeners: [
        { kind: 'ipfix', port: 0 },
        { kind: 'netflow', port: 0 },
      ],
      out,
      metricsPort: 0,
    });
    const started = await collector.start();
    expect(started.listeners).toHaveLength(2);
    for (const listener of started.listeners)
      expect(listener.receiveBufferBytes).toBeGreaterThan(0);
    // The version field decides the decoder: everything goes to the first port.
    const port = started.listeners[0]!.port;
    await send(
      port,
      SEQUENCE.map((file) => readFileSync(join(RAW, file))),
    );
    await until(() => collector!.counters.datagrams === SEQUENCE.length);
    const metrics = await (await fetch(`http://127.0.0.1:${started.metricsPort}/metrics`)).text();
    expect(metrics).toContain(`nospy_flow_datagrams_total{listener="ipfix:${port}"} 5`);
    expect(metrics).toContain('nospy_flow_malformed_total{reason="v5-count-invalid"} 1');
    await collector.stop();

    const records = [];
    for await (const entry of readFlowFile(out)) records.push(entry.record);
    expect(records).toHaveLength(26 + 21);
    expect(collector.counters.records).toBe(47);
    expect(collector.counts.recordsWritten).toBe(47);
    expect(records.every((r) => r.exporter === '127.0.0.1')).toBe(true);
    const first = JSON.parse(readFileSync(out, 'utf8').split('\n')[0]!) as Record<string, unknown>;
    expect(
      Object.keys(first).every((k) => (FLOW_FILE_COLUMNS as readonly string[]).includes(k)),
    ).toBe(true);
  });

  it('accounts for every datagram it received: decoded, or counted as dropped for a full backlog', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'nospy-collect-')), 'flows.ndjson');
    // The smallest backlog (two batch buffers) so that a burst can outrun the decode thread.
    collector = new FlowCollector({
      host: '127.0.0.1',
      listeners: [{ kind: 'netflow', port: 0 }],
      out,
      maxBacklogBytes: 1,
    });
    const { listeners } = await collector.start();
    const template = readFileSync(join(RAW, 'netflow9_test_cisco_asr9k_tpl260.dat'));
    const data = readFileSync(join(RAW, 'netflow9_test_cisco_asr9k_data260.dat'));
    await send(listeners[0]!.port, [template]);
    await until(() => collector!.counters.templates > 0);
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => {
      socket.connect(listeners[0]!.port, '127.0.0.1', resolve);
    });
    let pending = 0;
    for (let i = 0; i < 3000; i += 1) {
      pending += 1;
      socket.send(data, () => (pending -= 1));
    }
    await until(() => pending === 0);
    socket.close();
    const received = (): number => collector!.counts.listeners[0]!.datagrams;
    await until(
      () => collector!.counters.datagrams + collector!.counts.backlogDropped === received(),
    );
    await collector.stop();
    const { datagrams } = collector.counters;
    expect(datagrams + collector.counts.backlogDropped).toBe(received());
    expect(collector.counts.recordsWritten).toBe((datagrams - 1) * 21);
    let lines = 0;
    for await (const _ of readFlowFile(out)) lines += 1;
    expect(lines).toBe(collector.counts.recordsWritten);
  });

  it('refuses a port that is already taken with FLOW_COLLECTOR_BIND', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'nospy-collect-')), 'flows.ndjson');
    collector = new FlowCollector({
      host: '127.0.0.1',
      listeners: [{ kind: 'netflow', port: 0 }],
      out,
    });
    const { listeners } = await collector.start();
    const second = new FlowCollector({
      host: '127.0.0.1',
      listeners: [{ kind: 'netflow', port: listeners[0]!.port }],
      out,
    });
    await expect(second.start()).rejects.toMatchObject({ code: 'FLOW_COLLECTOR_BIND' });
  });
});
