/**
 * A running traffic worker takes a changed device map without a restart: records of an address
 * no device has are unattributed, and once the map names a device there, the next messages are
 * judged against it.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { encodeFlowBatch } from '../../src/flows/flow-batch.js';
import { CONTEXT_YAML, DEVICE, flow, mudJson } from '../../src/mud/test-support.js';
import { SqliteTrafficStore } from '../../src/traffic/sqlite-traffic-store.js';
import { natsServer, type TestNatsServer } from '../helpers/nats-server.js';
import { requireTools, toolPath } from '../helpers/require-tools.js';
import { killChildren, sleep, startNospy, stopped } from './pipeline-support.js';

const OTHER = '10.0.0.3';

describe('a running traffic worker', () => {
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

  it('judges against a device added to its map, without a restart', async () => {
    const url = (nats as TestNatsServer).url;
    const dir = mkdtempSync(join(tmpdir(), 'nospy-traffic-reload-'));
    const run = `R${process.pid}_${Date.now().toString(36)}`;
    writeFileSync(join(dir, 'deny.json'), JSON.stringify(mudJson([], [])));
    writeFileSync(join(dir, 'ctx.yaml'), CONTEXT_YAML);
    writeFileSync(
      join(dir, 'ctx3.yaml'),
      CONTEXT_YAML.replace(`ipv4: ${DEVICE}`, `ipv4: ${OTHER}`),
    );
    const one = '  - { id: dev, mud: deny.json, context: ctx.yaml }\n';
    writeFileSync(join(dir, 'devices.yaml'), `devices:\n${one}`);
    writeFileSync(join(dir, 'nospy.yaml'), 'check:\n  devices: devices.yaml\n');
    const nc = await connect({ servers: url });
    const store = new SqliteTrafficStore(join(dir, 'traffic.db'));
    try {
      await (await jetstreamManager(nc)).streams.add({ name: run, subjects: [`${run}.flows.>`] });
      const worker = await startNospy(
        dir,
        [
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
          '--reload-interval',
          '0.2',
        ],
        '"traffic worker started"',
      );
      let log = '';
      worker.child.stderr.on('data', (chunk: Buffer) => {
        log += chunk.toString();
      });
      const js = jetstream(nc);
      const send = (m: number) =>
        js.publish(
          `${run}.flows.test`,
          encodeFlowBatch(
            [
              flow({
                src: OTHER,
                dst: '203.0.113.9',
                proto: 6,
                sport: 40000 + m,
                dport: 8443,
                origin: 'src',
              }),
            ],
            Date.now(),
          ),
          { msgID: `${run}-${m}` },
        );
      await send(0);
      for (let i = 0; i < 200 && (await store.report()).records < 1; i += 1) await sleep(50);
      expect(await store.report()).toMatchObject({ records: 1, unattributed: 1, findings: [] });

      writeFileSync(
        join(dir, 'devices.yaml'),
        `devices:\n${one}  - { id: other, mud: deny.json, context: ctx3.yaml }\n`,
      );
      // The worker says when it has taken the new map.
      for (let i = 0; i < 200 && !log.includes('"traffic policy reloaded"'); i += 1)
        await sleep(50);
      expect(log).toContain('"traffic policy reloaded"');
      await send(1);
      for (let i = 0; i < 200 && (await store.report()).records < 2; i += 1) await sleep(50);
      const report = await store.report();
      expect(report).toMatchObject({ records: 2, unattributed: 1 });
      expect(report.findings).toMatchObject([
        {
          device: 'other',
          kind: 'undeclared-traffic',
          remote: '203.0.113.9',
          port: 8443,
          records: 1,
        },
      ]);
      expect(await stopped(worker.child)).toBe(0);
    } finally {
      await store.close();
      await nc.close();
    }
  });
});
