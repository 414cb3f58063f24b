/**
 * `nospy collect --data` end to end: the installed binary receives real exporter datagrams over
 * UDP and writes them into the flow store; the check's own flow reader reads them back, while the
 * collector runs (open segment) and after it stopped (sealed segment).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { readFlowSources } from '../../src/check/gather/flows.js';
import { gatherEvidence } from '../../src/check/gather/index.js';
import { loadConfig } from '../../src/config/load.js';

const BIN = fileURLToPath(new URL('../../bin/nospy.js', import.meta.url));
const RAW = join(import.meta.dirname, '../fixtures/flows/raw');
const DEVICES = join(import.meta.dirname, '../fixtures/mud/cases/devices.yaml');
// 21 NetFlow v9 records (Cisco ASR 9000) and 26 IPFIX records (OpenBSD pflow), templates first.
const SEQUENCE = [
  'netflow9_test_cisco_asr9k_tpl260.dat',
  'netflow9_test_cisco_asr9k_data260.dat',
  'ipfix_test_openbsd_pflow_tpl.dat',
  'ipfix_test_openbsd_pflow_data.dat',
].map((file) => readFileSync(join(RAW, file)));

let child: ChildProcessWithoutNullStreams | undefined;
afterEach(() => {
  if (child?.exitCode === null) child.kill('SIGKILL');
});

interface Started {
  readonly ports: Record<string, number>;
  readonly metricsPort: number;
  readonly stderr: () => string;
}

function startCollector(cwd: string): Promise<Started> {
  const process_ = spawn(
    process.execPath,
    // Port 0 everywhere: the kernel picks free ports and the "collector listening" log names them.
    [
      BIN,
      'collect',
      '--netflow',
      '0',
      '--ipfix',
      '0',
      '--host',
      '127.0.0.1',
      '--data',
      'data',
      '--metrics',
      '0',
    ],
    { cwd, env: { PATH: process.env.PATH }, stdio: 'pipe' },
  );
  child = process_;
  return new Promise((resolve, reject) => {
    let err = '';
    process_.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
      const line = err.split('\n').find((l) => l.includes('"collector listening"'));
      if (line === undefined) return;
      const logged = JSON.parse(line) as {
        listeners: { kind: string; port: number }[];
        metricsPort: number;
      };
      resolve({
        ports: Object.fromEntries(logged.listeners.map((l) => [l.kind, l.port])),
        metricsPort: logged.metricsPort,
        stderr: () => err,
      });
    });
    process_.on('exit', (code) => {
      reject(new Error(`collect exited with ${code}: ${err}`));
    });
  });
}

async function send(port: number, datagrams: readonly Buffer[]): Promise<void> {
  const socket = createSocket('udp4');
  for (const datagram of datagrams)
    await new Promise<void>((resolve, reject) => {
      socket.send(datagram, port, '127.0.0.1', (error) => {
        if (error) reject(error);
        else resolve();
      });
    });
  socket.close();
}

describe('nospy collect --data', () => {
  it('stores received records where the check reads them, while running and after it stops', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nospy-collect-data-'));
    const store = join(dir, 'data', 'flows');
    const started = await startCollector(dir);
    expect(started.ports.netflow).toBeGreaterThan(0);
    expect(started.ports.ipfix).toBeGreaterThan(0);
    await send(started.ports.netflow!, SEQUENCE.slice(0, 2));
    await send(started.ports.ipfix!, SEQUENCE.slice(2));

    // Readable while the collector runs: the open segment up to its last complete line.
    let running = (await readFlowSources([store])).records;
    for (let i = 0; i < 200 && running.length < 47; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      running = (await readFlowSources([store])).records;
    }
    expect(running).toHaveLength(47);
    expect(readdirSync(store).filter((n) => n.endsWith('.ndjson.open'))).toHaveLength(1);
    const metrics = await (await fetch(`http://127.0.0.1:${started.metricsPort}/metrics`)).text();
    expect(metrics).toContain(
      `nospy_flow_datagrams_total{listener="netflow:${started.ports.netflow}"} 2`,
    );
    expect(metrics).toContain(
      `nospy_flow_datagrams_total{listener="ipfix:${started.ports.ipfix}"} 2`,
    );
    expect(metrics).toContain('nospy_flow_records_written_total 47');
    expect(metrics).toContain('nospy_flow_datagrams_dropped_total{reason="decode-backlog"} 0');
    expect(metrics).toContain(
      `nospy_flow_kernel_drops_total{listener="netflow:${started.ports.netflow}"} 0`,
    );

    const exit = new Promise<number | null>((resolve) => child!.once('exit', resolve));
    child!.kill('SIGTERM');
    expect(await exit).toBe(0);
    const stopped = started
      .stderr()
      .split('\n')
      .find((l) => l.includes('"collector stopped"'));
    expect(JSON.parse(stopped ?? '{}')).toMatchObject({
      counters: { records: 47, records_written: 47, segments_sealed: 1 },
    });
    // Sealed: fsynced, renamed, the lock released.
    const names = readdirSync(store);
    expect(names).toHaveLength(1);
    expect(names[0]).toMatch(/^flows-\d{8}T\d{6}\.\d{3}Z\.ndjson$/);

    // The check reads the store named in its config like a flow file.
    writeFileSync(
      join(dir, 'nospy.yaml'),
      `check:\n  devices: ${JSON.stringify(DEVICES)}\n  flows: [data/flows]\n`,
    );
    const evidence = await gatherEvidence(loadConfig({ file: join(dir, 'nospy.yaml') }), {
      now: new Date(),
    });
    expect(evidence.flows?.sources).toEqual(['data/flows']);
    expect(evidence.flows?.records).toHaveLength(47);
    expect(evidence.flows?.records.filter((r) => r.proto === 6).length).toBeGreaterThan(0);
    expect(new Set(evidence.flows?.records.map((r) => r.exporter))).toEqual(new Set(['127.0.0.1']));
  });
});
