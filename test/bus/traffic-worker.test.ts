/**
 * End to end on a real NATS JetStream server (started by the test on its own port and store):
 * two `nospy collect --bus` processes receive real exporter datagrams over UDP, two
 * `nospy traffic worker` processes consume through the one durable consumer into one SQLite
 * store, and the stored aggregates resolve into exactly the findings the batch behaviour check
 * gives on the same records (read back from the collectors' NDJSON files).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FlowRecord } from '../../src/flows/flow-record.js';
import { readFlowFile } from '../../src/flows/flow-file.js';
import { checkBehaviour, type BehaviourReport } from '../../src/mud/index.js';
import { loadDeviceMap } from '../../src/mud/load.js';
import { CONTEXT_YAML, DEVICE, flow, mudJson } from '../../src/mud/test-support.js';
import { encodeFlowBatch } from '../../src/flows/flow-batch.js';
import { SqliteTrafficStore } from '../../src/traffic/sqlite-traffic-store.js';
import { PostgresTrafficStore } from '../../src/traffic/postgres-traffic-store.js';
import type { TrafficReport, TrafficStorePort } from '../../src/traffic/traffic-store-port.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { natsServer, type TestNatsServer } from '../helpers/nats-server.js';
import { requireTools, toolPath } from '../helpers/require-tools.js';
import {
  killChildren,
  listenerPort,
  sendDatagrams,
  startNospy,
  stopped,
} from './pipeline-support.js';

const RAW = join(import.meta.dirname, '../fixtures/flows/raw');
const read = (files: string[]) => files.map((f) => readFileSync(join(RAW, f)));
// 21 NetFlow v9 records (Cisco ASR 9000) and 26 IPFIX records (OpenBSD pflow), templates first.
const NETFLOW = read([
  'netflow9_test_cisco_asr9k_tpl260.dat',
  'netflow9_test_cisco_asr9k_data260.dat',
]);
const IPFIX = read(['ipfix_test_openbsd_pflow_tpl.dat', 'ipfix_test_openbsd_pflow_data.dat']);

afterEach(killChildren);

/** What a batch check and a store both say: the store's stream bookkeeping left out. */
const sums = ({
  sampleOrigins: _o,
  messages: _m,
  ...r
}: BehaviourReport & Partial<TrafficReport>) => ({
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

    const c1 = await startNospy(
      dir,
      ['collect', '--netflow', '0', '--host', '127.0.0.1', '--out', 'a.ndjson', ...bus],
      '"collector listening"',
    );
    const c2 = await startNospy(
      dir,
      ['collect', '--ipfix', '0', '--host', '127.0.0.1', '--out', 'b.ndjson', ...bus],
      '"collector listening"',
    );
    await sendDatagrams(listenerPort(c1.line), NETFLOW);
    await sendDatagrams(listenerPort(c2.line), IPFIX);
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
    const w1 = await startNospy(dir, worker, '"traffic worker started"');
    const w2 = await startNospy(dir, worker, '"traffic worker started"');
    const store = new SqliteTrafficStore(join(dir, 'traffic.db'));
    try {
      for (let i = 0; i < 400 && (await store.report()).records < 47; i += 1)
        await new Promise((resolve) => setTimeout(resolve, 50));
      const batch = checkBehaviour({ devices: loadDeviceMap(join(dir, 'devices.yaml')) }, records);
      expect(batch.findings.length).toBeGreaterThan(0);
      expect(sums(await store.report())).toEqual(sums(batch));
    } finally {
      await store.close();
    }
    expect(await stopped(w1.child)).toBe(0);
    expect(await stopped(w2.child)).toBe(0);
  });

  /**
   * 1,500 messages through a worker that is SIGKILLed mid-stream; a second worker takes over
   * and the store's totals are exact. `storeUrl` is what the workers get as --store, `open`
   * opens the same store for the test to read.
   */
  async function killedWorkerKeepsExactTotals(
    storeUrl: string,
    open: (dir: string) => Promise<TrafficStorePort>,
  ): Promise<void> {
    const url = (nats as TestNatsServer).url;
    const dir = mkdtempSync(join(tmpdir(), 'nospy-traffic-kill-'));
    const run = `K${process.pid}_${Date.now().toString(36)}`;
    writeFileSync(join(dir, 'deny.json'), JSON.stringify(mudJson([], [])));
    writeFileSync(join(dir, 'ctx.yaml'), CONTEXT_YAML);
    writeFileSync(
      join(dir, 'devices.yaml'),
      'devices:\n  - { id: dev, mud: deny.json, context: ctx.yaml }\n',
    );
    writeFileSync(join(dir, 'nospy.yaml'), 'check:\n  devices: devices.yaml\n');
    // 1,500 messages of 20 records: a beacon from changing ports, DNS, and a served high port
    // (each conversation end below the 4,096 ports a batch check tallies one by one).
    const records: FlowRecord[] = [];
    const nc = await connect({ servers: url });
    try {
      const worker = [
        'traffic',
        'worker',
        '--store',
        storeUrl,
        '--bus',
        url,
        '--bus-stream',
        run,
        '--bus-subject',
        `${run}.flows`,
        '--consumer',
        `${run}_workers`,
        '--ack-wait',
        '2',
      ];
      await (await jetstreamManager(nc)).streams.add({ name: run, subjects: [`${run}.flows.>`] });
      const w1 = await startNospy(dir, worker, '"traffic worker started"');
      const js = jetstream(nc);
      for (let m = 0; m < 1500; m += 1) {
        const batch = Array.from({ length: 20 }, (_, i) => {
          const n = m * 20 + i;
          const kind = n % 3;
          return flow({
            src: kind === 2 ? '203.0.113.8' : DEVICE,
            dst: kind === 2 ? DEVICE : kind === 1 ? '203.0.113.53' : '203.0.113.7',
            proto: 17,
            sport:
              kind === 0
                ? 40000 + (n % 20000)
                : kind === 1
                  ? 33000 + (n % 1000)
                  : 50000 + (n % 5000),
            dport: kind === 0 ? 50000 : kind === 1 ? 53 : 47000,
            bytes: 100 + (n % 97),
            first: Date.UTC(2026, 0, 1) + n,
            last: Date.UTC(2026, 0, 1) + n + 10,
          });
        });
        records.push(...batch);
        await js.publish(`${run}.flows.test`, encodeFlowBatch(batch, Date.now()), {
          msgID: `${run}-${m}`,
        });
      }
      const store = await open(dir);
      try {
        for (let i = 0; i < 400 && (await store.report()).records < 3000; i += 1)
          await new Promise((resolve) => setTimeout(resolve, 25));
        w1.child.kill('SIGKILL');
        await new Promise((resolve) => w1.child.once('exit', resolve));
        const applied = (await store.report()).records;
        expect(applied).toBeLessThan(records.length);
        const w2 = await startNospy(dir, worker, '"traffic worker started"');
        for (let i = 0; i < 1200 && (await store.report()).records < records.length; i += 1)
          await new Promise((resolve) => setTimeout(resolve, 50));
        const report = await store.report();
        expect(report.records).toBe(records.length);
        expect(sums(report)).toEqual(
          sums(checkBehaviour({ devices: loadDeviceMap(join(dir, 'devices.yaml')) }, records)),
        );
        expect(await stopped(w2.child)).toBe(0);
      } finally {
        await store.close();
      }
    } finally {
      await nc.close();
    }
  }

  it('keeps exact totals when a worker is SIGKILLed mid-stream and another takes over', async () => {
    await killedWorkerKeepsExactTotals('sqlite:traffic.db', (dir) =>
      Promise.resolve(new SqliteTrafficStore(join(dir, 'traffic.db'))),
    );
    // Real processes and a restart: generous on a loaded machine, as the PostgreSQL case below.
  }, 120_000);

  describe('with a PostgreSQL traffic store', () => {
    const havePostgres = requireTools('postgresql');
    let database: TestDatabase | undefined;
    beforeAll(async () => {
      if (havePostgres && haveNats) database = await createTestDatabase();
    });
    afterAll(async () => {
      await database?.drop();
    });

    it('keeps exact totals when a worker is SIGKILLed mid-stream and another takes over', async () => {
      const url = (database as TestDatabase).url;
      await killedWorkerKeepsExactTotals(url, () => PostgresTrafficStore.open(url));
      // 1,500 transactions over the network on a shared machine: more than the default 30 s.
    }, 120_000);
  });
});
