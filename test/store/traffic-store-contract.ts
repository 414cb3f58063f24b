/**
 * The contract every traffic store adapter keeps (src/traffic/traffic-store-port.ts), as one
 * suite that each adapter's test file runs against a real store: SQLite beside its module,
 * PostgreSQL in test/store/. However the records were split into messages, and whichever worker
 * applied them, the stored aggregates resolve into the findings of one batch check.
 */
import { fc, test } from '@fast-check/vitest';
import { expect, it } from 'vitest';
import type { FlowRecord } from '../../src/flows/flow-record.js';
import {
  BehaviourCheck,
  checkBehaviour,
  type BehaviourDevice,
  type BehaviourReport,
} from '../../src/mud/index.js';
import { DEVICE, flow, matcherFor, mudJson } from '../../src/mud/test-support.js';
import type { TrafficReport, TrafficStorePort } from '../../src/traffic/traffic-store-port.js';

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

/** Applies `records` as consecutive messages cut at `cuts`, each through the next of `stores`. */
async function applyInMessages(
  stores: readonly TrafficStorePort[],
  records: readonly FlowRecord[],
  cuts: readonly number[],
): Promise<void> {
  let start = 0;
  let sequence = 0;
  const applied: Promise<boolean>[] = [];
  for (const end of [
    ...cuts.map((c) => c % (records.length + 1)).sort((a, b) => a - b),
    records.length,
  ]) {
    const check = new BehaviourCheck({ devices: [device] });
    for (const r of records.slice(start, end)) check.add(r);
    sequence += 1;
    const store = stores[sequence % stores.length] as TrafficStorePort;
    applied.push(store.apply('S', sequence, check.partial()));
    start = end;
  }
  // All in flight at once: workers apply messages concurrently, in any order.
  expect(await Promise.all(applied)).toEqual(applied.map(() => true));
}

/**
 * Declares the contract's tests for one adapter. `fresh` opens an empty store; `again` opens
 * another connection to the store `fresh` opened last (a second worker).
 */
export function describeTrafficStoreContract(
  fresh: () => Promise<TrafficStorePort>,
  again: () => Promise<TrafficStorePort>,
  options: { readonly numRuns: number },
): void {
  test.prop([fc.array(leg, { maxLength: 80 }), fc.array(fc.nat(), { maxLength: 6 })], {
    numRuns: options.numRuns,
  })(
    'holds the same findings and totals as one batch check, however the records were split into messages and between two workers',
    async (legs, cuts) => {
      const records = legs.map(toRecord);
      const first = await fresh();
      const second = await again();
      try {
        await applyInMessages([first, second], records, cuts);
        expect(sums(await first.report())).toEqual(
          sums(checkBehaviour({ devices: [device] }, records)),
        );
      } finally {
        await first.close();
        await second.close();
      }
    },
  );

  it('counts a redelivered message once', async () => {
    const s = await fresh();
    try {
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
      expect(report.findings[0]?.samples).toHaveLength(5);
    } finally {
      await s.close();
    }
  });

  it('names the stream message that carried each sample record, and counts the messages', async () => {
    const s = await fresh();
    try {
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
      expect(report.messages).toBe(2);
    } finally {
      await s.close();
    }
  });

  it('keeps a message applied across reopening the store', async () => {
    const s = await fresh();
    const check = new BehaviourCheck({ devices: [device] });
    check.add(flow({ src: DEVICE, dst: '203.0.113.9', proto: 17, sport: 40000, dport: 50000 }));
    expect(await s.apply('S', 1, check.partial())).toBe(true);
    await s.close();
    const reopened = await again();
    try {
      expect(await reopened.apply('S', 1, check.partial())).toBe(false);
      expect((await reopened.report()).records).toBe(1);
    } finally {
      await reopened.close();
    }
  });

  it('refuses to be used after it is closed, with STORE_IO', async () => {
    const s = await fresh();
    await s.close();
    await s.close();
    await expect(s.report()).rejects.toMatchObject({ code: 'STORE_IO' });
  });
}
