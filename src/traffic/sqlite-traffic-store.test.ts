import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fc, test } from '@fast-check/vitest';
import { afterAll, describe, expect, it } from 'vitest';
import type { FlowRecord } from '../flows/flow-record.js';
import {
  BehaviourCheck,
  checkBehaviour,
  type BehaviourDevice,
  type BehaviourReport,
} from '../mud/index.js';
import { DEVICE, flow, matcherFor, mudJson } from '../mud/test-support.js';
import { SqliteTrafficStore } from './sqlite-traffic-store.js';
import type { TrafficReport } from './traffic-store-port.js';

const dir = mkdtempSync(join(tmpdir(), 'nospy-traffic-store-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});
let stores = 0;
const store = () => new SqliteTrafficStore(join(dir, `t${(stores += 1)}.db`));

const device: BehaviourDevice = {
  id: 'dev',
  addresses: [DEVICE],
  localNetworks: ['10.0.0.0/24'],
  matcher: matcherFor(mudJson([], [])),
  managementPorts: [22],
};
const T0 = Date.UTC(2026, 0, 1);

const leg = fc.record({
  out: fc.boolean(),
  proto: fc.constantFrom(6, 17),
  origin: fc.constantFrom('src', 'dst', 'unknown'),
  devicePort: fc.oneof(fc.constantFrom(22, 53, 123, 40000), fc.integer({ min: 1024, max: 65535 })),
  remotePort: fc.oneof(fc.constantFrom(53, 123, 50000), fc.integer({ min: 1024, max: 65535 })),
  remote: fc.constantFrom('203.0.113.1', '203.0.113.2', '10.0.0.9'),
  bytes: fc.integer({ min: 1, max: 10_000 }),
  t: fc.integer({ min: 0, max: 1000 }),
});
type Leg = typeof leg extends fc.Arbitrary<infer T> ? T : never;

const toRecord = (l: Leg): FlowRecord =>
  l.out
    ? flow({
        src: DEVICE,
        dst: l.remote,
        proto: l.proto,
        sport: l.devicePort,
        dport: l.remotePort,
        bytes: l.bytes,
        origin: l.origin,
        first: T0 + l.t,
        last: T0 + l.t + 5,
      })
    : flow({
        src: l.remote,
        dst: DEVICE,
        proto: l.proto,
        sport: l.remotePort,
        dport: l.devicePort,
        bytes: l.bytes,
        origin: l.origin,
        first: T0 + l.t,
        last: T0 + l.t + 5,
      });

/** A report without its samples (which records are sampled depends on the order of arrival). */
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

async function applyInMessages(
  s: SqliteTrafficStore,
  records: readonly FlowRecord[],
  cuts: readonly number[],
): Promise<void> {
  let start = 0;
  let sequence = 0;
  for (const end of [
    ...cuts.map((c) => c % (records.length + 1)).sort((a, b) => a - b),
    records.length,
  ]) {
    const check = new BehaviourCheck({ devices: [device] });
    for (const r of records.slice(start, end)) check.add(r);
    sequence += 1;
    expect(await s.apply('S', sequence, check.partial())).toBe(true);
    start = end;
  }
}

describe('the SQLite traffic store', () => {
  test.prop([fc.array(leg, { maxLength: 80 }), fc.array(fc.nat(), { maxLength: 6 })], {
    numRuns: 40,
  })(
    'holds the same findings and totals as one batch check, however the records were split into messages',
    async (legs, cuts) => {
      const records = legs.map(toRecord);
      const s = store();
      try {
        await applyInMessages(s, records, cuts);
        expect(sums(await s.report())).toEqual(
          sums(checkBehaviour({ devices: [device] }, records)),
        );
      } finally {
        await s.close();
      }
    },
  );

  it('counts a redelivered message once', async () => {
    const s = store();
    const check = new BehaviourCheck({ devices: [device] });
    for (let i = 0; i < 5; i += 1)
      check.add(
        flow({ src: DEVICE, dst: '203.0.113.9', proto: 17, sport: 40000 + i, dport: 50000 }),
      );
    expect(await s.apply('S', 7, check.partial())).toBe(true);
    expect(await s.apply('S', 7, check.partial())).toBe(false);
    const report = await s.report();
    expect(report.findings).toMatchObject([
      { port: 50000, side: 'remote', inferred: 'fixed-port', records: 5 },
    ]);
    expect(report.records).toBe(5);
    expect(report.messages).toBe(1);
    await s.close();
  });

  it('names the stream message that carried each sample record', async () => {
    const s = store();
    for (const [sequence, port] of [
      [11, 40000],
      [12, 40001],
    ] as const) {
      const check = new BehaviourCheck({ devices: [device] });
      check.add(
        flow({
          src: DEVICE,
          dst: '203.0.113.9',
          proto: 6,
          sport: port,
          dport: 8443,
          origin: 'src',
        }),
      );
      await s.apply('NOSPY_FLOWS', sequence, check.partial());
    }
    const report = await s.report();
    const samples = report.findings.flatMap((f) => f.samples);
    expect(samples.map((r) => [r.sport, report.sampleOrigins.get(r)])).toEqual([
      [40000, { stream: 'NOSPY_FLOWS', sequence: 11 }],
      [40001, { stream: 'NOSPY_FLOWS', sequence: 12 }],
    ]);
    await s.close();
  });
});
