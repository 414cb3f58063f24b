/**
 * End to end on a real NATS JetStream server (started by the test on its own port and store):
 * the demo world's devices, MUD files (from the blob store, by the digests its logged releases
 * declare) and access grants (its log's access-session statements); two `nospy collect --bus`
 * processes receive real exporter datagrams over UDP (the fixture captures, and the demo's
 * devices' traffic encoded as NetFlow v9 and IPFIX); three `nospy traffic worker` processes
 * judge them through the one durable consumer into one SQLite store. `nospy check` reading that
 * store (`check.traffic: store`) reports exactly the findings `nospy check` makes of the
 * collectors' own flow files.
 */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/check/index.js';
import { encodeIpfix, encodeNetflowV9 } from '../../src/flows/export-encoder.js';
import type { FlowRecord } from '../../src/flows/flow-record.js';
import { flow } from '../../src/mud/test-support.js';
import { SqliteTrafficStore } from '../../src/traffic/sqlite-traffic-store.js';
import { natsServer, type TestNatsServer } from '../helpers/nats-server.js';
import { requireTools, toolPath } from '../helpers/require-tools.js';
import { runCli } from '../helpers/run-cli.js';
import {
  comparableFindings,
  killChildren,
  listenerPort,
  sendDatagrams,
  sleep,
  startNospy,
  stopped,
} from './pipeline-support.js';

const DEMO_CONFIG = fileURLToPath(new URL('../../examples/demo/nospy.yaml', import.meta.url));
const RAW = join(import.meta.dirname, '../fixtures/flows/raw');
const read = (files: string[]) => files.map((f) => readFileSync(join(RAW, f)));
// 21 NetFlow v9 records (Cisco ASR 9000) and 26 IPFIX records (OpenBSD pflow), templates first.
const NETFLOW = read([
  'netflow9_test_cisco_asr9k_tpl260.dat',
  'netflow9_test_cisco_asr9k_data260.dat',
]);
const IPFIX = read(['ipfix_test_openbsd_pflow_tpl.dat', 'ipfix_test_openbsd_pflow_data.dat']);

const at = (minute: number) => Date.parse('2026-05-20T08:00:00Z') + minute * 60_000;
const udp = (src: string, dst: string, sport: number, dport: number, minute: number) =>
  flow({
    src,
    dst,
    proto: 17,
    sport,
    dport,
    bytes: 120 + minute,
    first: at(minute),
    last: at(minute) + 900,
  });
const tcp = (src: string, dst: string, sport: number, dport: number, minute: number) =>
  flow({
    src,
    dst,
    proto: 6,
    sport,
    dport,
    bytes: 900 + minute,
    first: at(minute),
    last: at(minute) + 900,
  });

/**
 * The demo devices' traffic: a beacon from changing ports to one high remote port, DNS, NTP, a
 * device serving on a high port, management access inside and outside the logged grant, and the
 * declared HTTPS to each vendor's cloud.
 */
function deviceTraffic(): FlowRecord[] {
  const records: FlowRecord[] = [];
  for (let i = 0; i < 40; i += 1) {
    records.push(udp('10.1.0.3', '203.0.113.66', 40000 + i * 7, 53535, i));
    records.push(udp('10.1.0.3', '203.0.113.53', 33000 + i, 53, i));
    records.push(udp('10.1.0.4', '203.0.113.123', 123, 123, i));
    records.push(udp('198.51.100.77', '10.1.0.4', 50000 + i * 3, 40500, i));
    records.push(tcp('10.1.0.2', '198.51.100.10', 41000 + i, 443, i));
  }
  for (let i = 0; i < 6; i += 1) {
    records.push(tcp('198.51.100.7', '10.1.0.2', 52000 + i, 22, 60 + i)); // granted
    records.push(tcp('192.0.2.9', '10.1.0.2', 52100 + i, 22, 60 + i)); // no grant
  }
  return records;
}

describe('collectors, traffic workers and the check on NATS JetStream', () => {
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

  it("gives the findings of the batch check of the same flows, from three workers' aggregates", async () => {
    const url = (nats as TestNatsServer).url;
    const dir = mkdtempSync(join(tmpdir(), 'nospy-pipeline-'));
    copyFileSync(DEMO_CONFIG, join(dir, 'nospy.yaml'));
    const init = await runCli(['demo', 'init', '--data', 'data'], { cwd: dir });
    expect(init.code).toBe(0);
    const demo = readFileSync(join(dir, 'nospy.yaml'), 'utf8');
    const run = `P${process.pid}_${Date.now().toString(36)}`;
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
    // Workers first: they judge while the datagrams arrive.
    writeFileSync(
      join(dir, 'workers.yaml'),
      demo.replace(/^check:/m, `nats:\n  url: ${url}\ncheck:`),
    );
    const worker = [
      'traffic',
      'worker',
      '--config',
      'workers.yaml',
      '--store',
      'sqlite:traffic.db',
      ...bus,
      '--consumer',
      `${run}_workers`,
    ];
    const workers = [];
    for (let i = 0; i < 3; i += 1)
      workers.push(await startNospy(dir, worker, '"traffic worker started"'));
    expect(JSON.parse(workers[0]?.line ?? '{}')).toMatchObject({ devices: 3, grants: 1 });

    const traffic = deviceTraffic();
    const half = traffic.length / 2;
    await sendDatagrams(listenerPort(c1.line), [
      ...NETFLOW,
      ...encodeIpfix(traffic.slice(0, half), { domain: 2 }),
    ]);
    await sendDatagrams(listenerPort(c2.line), [
      ...IPFIX,
      ...encodeNetflowV9(traffic.slice(half), { domain: 1 }),
    ]);
    expect(await stopped(c1.child)).toBe(0);
    expect(await stopped(c2.child)).toBe(0);
    const total = 47 + traffic.length;
    const lines = ['a.ndjson', 'b.ndjson']
      .map(
        (f) =>
          readFileSync(join(dir, f), 'utf8')
            .split('\n')
            .filter((l) => l !== '').length,
      )
      .reduce((a, b) => a + b);
    expect(lines).toBe(total);

    const store = new SqliteTrafficStore(join(dir, 'traffic.db'));
    try {
      for (let i = 0; i < 600 && (await store.report()).records < total; i += 1) await sleep(50);
      expect((await store.report()).records).toBe(total);
    } finally {
      await store.close();
    }
    for (const w of workers) expect(await stopped(w.child)).toBe(0);

    const withFlows = demo.replace(/^ {2}flows: .*$/m, '  flows: [a.ndjson, b.ndjson]');
    writeFileSync(join(dir, 'files.yaml'), withFlows);
    writeFileSync(
      join(dir, 'store.yaml'),
      `${withFlows.replace(/^ {2}flows: .*$/m, '  traffic: store')}traffic:\n  store: sqlite:traffic.db\n`,
    );
    const check = async (config: string): Promise<Report> => {
      const result = await runCli(['check', '--config', config, '--json', '--no-history'], {
        cwd: dir,
      });
      expect(result.code, result.stderr).toBe(1);
      return JSON.parse(result.stdout) as Report;
    };
    const batch = await check('files.yaml');
    const stored = await check('store.yaml');
    const kinds = (r: Report) =>
      r.findings.filter((f) => f.kind === 'undeclared-traffic' || f.kind === 'unapproved-access');
    expect(kinds(batch).length).toBeGreaterThanOrEqual(5);
    expect(comparableFindings(stored)).toEqual(comparableFindings(batch));
    // The store's samples name the stream messages that carried them.
    for (const f of kinds(stored)) {
      const part = f.evidence.find((e) => e.type === 'flows');
      if (part?.type !== 'flows') throw new Error('no flows evidence');
      expect(part.origins).toBeUndefined();
      expect(part.messages).toHaveLength(part.records.length);
      for (const m of part.messages ?? []) expect(m.stream).toBe(run);
    }
  });
});
