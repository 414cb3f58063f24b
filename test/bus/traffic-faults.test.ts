/**
 * Faults on a real NATS JetStream server (started by the test on its own port and store, never
 * the machine's shared one): a traffic worker SIGKILLed mid-stream, another taking over, and the
 * server itself restarted during the run. Afterwards every record is counted once: the store's
 * totals, and the records and bytes of every aggregate, equal the batch check of the same records.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { encodeFlowBatch } from '../../src/flows/flow-batch.js';
import type { FlowRecord } from '../../src/flows/flow-record.js';
import { checkBehaviour, type BehaviourReport } from '../../src/mud/index.js';
import { loadDeviceMap } from '../../src/mud/load.js';
import { CONTEXT_YAML, DEVICE, flow, mudJson } from '../../src/mud/test-support.js';
import { SqliteTrafficStore } from '../../src/traffic/sqlite-traffic-store.js';
import { natsServer, type TestNatsServer } from '../helpers/nats-server.js';
import { requireTools, toolPath } from '../helpers/require-tools.js';
import { killChildren, sleep, startNospy, stopped } from './pipeline-support.js';

/** Totals and per-aggregate sums; samples as a count (which records are sampled depends on arrival). */
const sums = ({
  findings,
  records,
  legs,
  allowedLegs,
  grantedLegs,
  unattributed,
  overflow,
}: BehaviourReport) => ({
  records,
  legs,
  allowedLegs,
  grantedLegs,
  unattributed,
  overflow,
  findings: findings.map(({ samples, directions, ...f }) => ({
    ...f,
    directions: [...directions].sort(),
    samples: samples.length,
  })),
});

/** Message `m` of the run: 20 records, a beacon from changing ports, DNS, and a served high port. */
function batchOf(m: number): FlowRecord[] {
  return Array.from({ length: 20 }, (_, i) => {
    const n = m * 20 + i;
    const kind = n % 3;
    return flow({
      src: kind === 2 ? '203.0.113.8' : DEVICE,
      dst: kind === 2 ? DEVICE : kind === 1 ? '203.0.113.53' : '203.0.113.7',
      proto: 17,
      sport:
        kind === 0 ? 40000 + (n % 20000) : kind === 1 ? 33000 + (n % 1000) : 50000 + (n % 5000),
      dport: kind === 0 ? 50000 : kind === 1 ? 53 : 47000,
      bytes: 100 + (n % 97),
      first: Date.UTC(2026, 0, 1) + n,
      last: Date.UTC(2026, 0, 1) + n + 10,
    });
  });
}

describe('traffic workers under faults', () => {
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
  afterEach(killChildren);

  it('keeps exact totals when a worker is SIGKILLed mid-stream and the server restarts', async () => {
    const server = nats as TestNatsServer;
    const dir = mkdtempSync(join(tmpdir(), 'nospy-traffic-faults-'));
    const run = `K${process.pid}_${Date.now().toString(36)}`;
    writeFileSync(join(dir, 'deny.json'), JSON.stringify(mudJson([], [])));
    writeFileSync(join(dir, 'ctx.yaml'), CONTEXT_YAML);
    writeFileSync(
      join(dir, 'devices.yaml'),
      'devices:\n  - { id: dev, mud: deny.json, context: ctx.yaml }\n',
    );
    writeFileSync(join(dir, 'nospy.yaml'), 'check:\n  devices: devices.yaml\n');
    const worker = [
      'traffic',
      'worker',
      '--store',
      'sqlite:traffic.db',
      '--bus',
      server.url,
      '--bus-stream',
      run,
      '--bus-subject',
      `${run}.flows`,
      '--consumer',
      `${run}_workers`,
      '--ack-wait',
      '2',
    ];
    const MESSAGES = 1600;
    const records: FlowRecord[] = [];
    const nc = await connect({
      servers: server.url,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 200,
    });
    const publish = async (from: number, to: number) => {
      const js = jetstream(nc);
      for (let m = from; m < to; m += 1) {
        const batch = batchOf(m);
        records.push(...batch);
        // A publish the restart interrupts is retried with its id: stored once.
        for (let attempt = 0; ; attempt += 1) {
          try {
            await js.publish(`${run}.flows.test`, encodeFlowBatch(batch, Date.now()), {
              msgID: `${run}-${m}`,
            });
            break;
          } catch (error) {
            if (attempt > 100) throw error;
            await sleep(100);
          }
        }
      }
    };
    const store = new SqliteTrafficStore(join(dir, 'traffic.db'));
    const applied = async () => (await store.report()).records;
    try {
      await (await jetstreamManager(nc)).streams.add({ name: run, subjects: [`${run}.flows.>`] });
      await publish(0, MESSAGES / 2);
      const w1 = await startNospy(dir, worker, '"traffic worker started"');
      for (let i = 0; i < 600 && (await applied()) < 3000; i += 1) await sleep(25);
      w1.child.kill('SIGKILL');
      await new Promise((resolve) => w1.child.once('exit', resolve));
      const atKill = await applied();
      expect(atKill).toBeLessThan(MESSAGES * 10);
      const w2 = await startNospy(dir, worker, '"traffic worker started"');
      // Mid-stream again: the second worker has taken over part of what is left.
      for (let i = 0; i < 1000 && (await applied()) < atKill + 2000; i += 1) await sleep(10);

      // The server goes away mid-run and comes back on the same port and store.
      expect(await applied()).toBeLessThan(MESSAGES * 10);
      await server.stop();
      await sleep(500);
      await server.start();
      await publish(MESSAGES / 2, MESSAGES);

      for (let i = 0; i < 1200 && (await applied()) < records.length; i += 1) await sleep(50);
      const report = await store.report();
      expect(report.records).toBe(records.length);
      expect(report.messages).toBe(MESSAGES);
      expect(sums(report)).toEqual(
        sums(checkBehaviour({ devices: loadDeviceMap(join(dir, 'devices.yaml')) }, records)),
      );
      expect(await stopped(w2.child)).toBe(0);
    } finally {
      await store.close();
      await nc.close();
    }
  }, 120_000);
});
