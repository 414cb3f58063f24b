/**
 * End to end on a real NATS JetStream server (started by the test on its own port and store):
 * two `nospy collect --bus` processes receive real exporter datagrams over UDP, two
 * `nospy traffic worker` processes consume through the one durable consumer into one SQLite
 * store, and the stored aggregates resolve into exactly the findings the batch behaviour check
 * gives on the same records (read back from the collectors' NDJSON files).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FlowRecord } from '../../src/flows/flow-record.js';
import { readFlowFile } from '../../src/flows/flow-file.js';
import { checkBehaviour, type BehaviourReport } from '../../src/mud/index.js';
import { loadDeviceMap } from '../../src/mud/load.js';
import { CONTEXT_YAML, DEVICE, mudJson } from '../../src/mud/test-support.js';
import { SqliteTrafficStore } from '../../src/traffic/sqlite-traffic-store.js';
import { natsServer, type TestNatsServer } from '../helpers/nats-server.js';
import { requireTools, toolPath } from '../helpers/require-tools.js';

const BIN = fileURLToPath(new URL('../../bin/nospy.js', import.meta.url));
const RAW = join(import.meta.dirname, '../fixtures/flows/raw');
const read = (files: string[]) => files.map((f) => readFileSync(join(RAW, f)));
// 21 NetFlow v9 records (Cisco ASR 9000) and 26 IPFIX records (OpenBSD pflow), templates first.
const NETFLOW = read([
  'netflow9_test_cisco_asr9k_tpl260.dat',
  'netflow9_test_cisco_asr9k_data260.dat',
]);
const IPFIX = read(['ipfix_test_openbsd_pflow_tpl.dat', 'ipfix_test_openbsd_pflow_data.dat']);

const children: ChildProcessWithoutNullStreams[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});

function start(
  cwd: string,
  args: string[],
  ready: string,
): Promise<{ child: ChildProcessWithoutNullStreams; line: string }> {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd,
    env: { PATH: process.env.PATH },
    stdio: 'pipe',
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
      const line = err.split('\n').find((l) => l.includes(ready));
      if (line !== undefined) resolve({ child, line });
    });
    child.on('exit', (code) => {
      reject(new Error(`nospy ${args[0] ?? ''} exited with ${code}: ${err}`));
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

async function stopped(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  const exit = new Promise<number | null>((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  return exit;
}

/** Findings without their samples (which records are sampled depends on arrival order). */
const sums = (r: BehaviourReport) => ({
  ...r,
  findings: r.findings.map(({ samples, directions, ...f }) => ({
    ...f,
    directions: [...directions].sort(),
    samples: samples.length,
  })),
});

describe('collectors and traffic workers on NATS JetStream', () => {
  const haveNats = requireTools('nats-server');
  let nats: TestNatsServer | undefined;
  beforeAll(async () => {
    if (!haveNats) return;
    nats = await natsServer(toolPath('nats-server') as string);
    await nats.start();
  });
  afterAll(async () => {
    await nats?.dispose();
  });

  it('stores aggregates equal to the batch check of the same records', async () => {
    const url = (nats as TestNatsServer).url;
    const dir = mkdtempSync(join(tmpdir(), 'nospy-traffic-'));
    const run = `T${process.pid}_${Date.now().toString(36)}`;
    const bus = ['--bus', url, '--bus-stream', run, '--bus-subject', `${run}.flows`];

    const c1 = await start(
      dir,
      ['collect', '--netflow', '0', '--host', '127.0.0.1', '--out', 'a.ndjson', ...bus],
      '"collector listening"',
    );
    const c2 = await start(
      dir,
      ['collect', '--ipfix', '0', '--host', '127.0.0.1', '--out', 'b.ndjson', ...bus],
      '"collector listening"',
    );
    const portOf = (line: string) =>
      (JSON.parse(line) as { listeners: { port: number }[] }).listeners[0]?.port as number;
    await send(portOf(c1.line), NETFLOW);
    await send(portOf(c2.line), IPFIX);
    expect(await stopped(c1.child)).toBe(0);
    expect(await stopped(c2.child)).toBe(0);
    const records: FlowRecord[] = [];
    for (const file of ['a.ndjson', 'b.ndjson'])
      for await (const { record } of readFlowFile(join(dir, file))) records.push(record);
    expect(records).toHaveLength(47);

    // The two busiest addresses are devices whose MUD files allow nothing: every leg is judged.
    const counts = new Map<string, number>();
    for (const r of records)
      for (const a of [r.src, r.dst]) counts.set(a, (counts.get(a) ?? 0) + 1);
    const busiest = [...counts]
      .filter(([a]) => !a.includes(':'))
      .sort((a, b) => b[1] - a[1])
      .slice(0, 2);
    writeFileSync(join(dir, 'deny.json'), JSON.stringify(mudJson([], [])));
    const devices = busiest.map(([address], i) => {
      writeFileSync(
        join(dir, `ctx${i}.yaml`),
        CONTEXT_YAML.replace(`ipv4: ${DEVICE}`, `ipv4: ${address}`),
      );
      return `  - { id: dev${i}, mud: deny.json, context: ctx${i}.yaml }`;
    });
    writeFileSync(join(dir, 'devices.yaml'), `devices:\n${devices.join('\n')}\n`);
    writeFileSync(join(dir, 'nospy.yaml'), 'check:\n  devices: devices.yaml\n');

    const worker = [
      'traffic',
      'worker',
      '--store',
      'sqlite:traffic.db',
      '--bus',
      url,
      '--bus-stream',
      run,
      '--bus-subject',
      `${run}.flows`,
      '--consumer',
      `${run}_workers`,
    ];
    const w1 = await start(dir, worker, '"traffic worker started"');
    const w2 = await start(dir, worker, '"traffic worker started"');
    const store = new SqliteTrafficStore(join(dir, 'traffic.db'));
    try {
      for (let i = 0; i < 400 && store.report().records < 47; i += 1)
        await new Promise((resolve) => setTimeout(resolve, 50));
      const batch = checkBehaviour({ devices: loadDeviceMap(join(dir, 'devices.yaml')) }, records);
      expect(batch.findings.length).toBeGreaterThan(0);
      expect(sums(store.report())).toEqual(sums(batch));
    } finally {
      store.close();
    }
    expect(await stopped(w1.child)).toBe(0);
    expect(await stopped(w2.child)).toBe(0);
  });
});
