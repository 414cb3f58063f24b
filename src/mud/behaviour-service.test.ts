import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { FlowRecord } from '../flows/flow-record.js';
import { checkBehaviour, type BehaviourDevice, type BehaviourReport } from './behaviour.js';
import { flow, matcherFor, mudJson, DEVICE } from './test-support.js';

const REMOTE = '203.0.113.66';
const T0 = Date.UTC(2026, 0, 1, 8);
// A device whose MUD file allows nothing: every leg is a violation.
const device: BehaviourDevice = {
  id: 'dev',
  addresses: [DEVICE],
  localNetworks: ['10.0.0.0/24'],
  matcher: matcherFor(mudJson([], [])),
};

const udp = (i: number, fields: Partial<FlowRecord>): FlowRecord =>
  flow({
    src: DEVICE,
    dst: REMOTE,
    proto: 17,
    first: T0 + i * 1000,
    last: T0 + i * 1000 + 10,
    bytes: 100 + i,
    ...fields,
  });

const summary = (r: BehaviourReport) =>
  r.findings.map((f) => ({
    remote: f.remote,
    side: f.side,
    port: f.port,
    inferred: f.inferred,
    records: f.records,
    bytes: f.bytes,
  }));

describe('undeclared UDP when the initiator is unknown', () => {
  it('makes a beacon to a high remote port from changing local ports one finding', () => {
    // Local ports 40000..40999: neither System Ports nor IANA-registered service ports.
    const beacon = Array.from({ length: 1000 }, (_, i) =>
      udp(i, { sport: 40000 + i, dport: 50000 }),
    );
    const report = checkBehaviour({ devices: [device] }, beacon);
    expect(summary(report)).toEqual([
      {
        remote: REMOTE,
        side: 'remote',
        port: 50000,
        inferred: 'fixed-port',
        records: 1000,
        bytes: beacon.reduce((sum, r) => sum + r.bytes, 0),
      },
    ]);
  });

  it('makes a device serving on a high port one finding per remote, at the device’s port', () => {
    const served = Array.from({ length: 20 }, (_, i) =>
      udp(i, { src: REMOTE, dst: DEVICE, sport: 33000 + i * 7, dport: 47000 }),
    );
    expect(summary(checkBehaviour({ devices: [device] }, served))).toEqual([
      {
        remote: REMOTE,
        side: 'device',
        port: 47000,
        inferred: 'fixed-port',
        records: 20,
        bytes: 2190,
      },
    ]);
  });

  it('finds DNS and NTP at their System Ports whatever the client port', () => {
    const records = [
      udp(0, { sport: 51000, dport: 53 }),
      udp(1, { sport: 51001, dport: 53 }),
      udp(2, { src: REMOTE, dst: DEVICE, sport: 53, dport: 51001 }),
      udp(3, { sport: 123, dport: 123 }),
      udp(4, { sport: 40123, dport: 123 }),
    ];
    expect(
      summary(checkBehaviour({ devices: [device] }, records)).map((f) => [
        f.side,
        f.port,
        f.inferred,
        f.records,
      ]),
    ).toEqual([
      // The implicit DNS and NTP rules of every MUD file name 53 and 123 at the remote end.
      ['remote', 53, 'mud-port', 3],
      // Both NTP records are one service; the stronger of the two ways of telling it is named.
      ['remote', 123, 'same-port', 2],
    ]);
  });

  it('says a lone record’s service is its lower port, as nothing else tells', () => {
    const report = checkBehaviour({ devices: [device] }, [udp(0, { sport: 40001, dport: 50000 })]);
    expect(summary(report)).toMatchObject([
      { side: 'device', port: 40001, inferred: 'lower-port' },
    ]);
  });

  it('adds a conversation’s records to the finding a telling record opened', () => {
    // The first record's initiator is known; the rest are not, and the conversation tells the same port.
    const records = [
      udp(0, { sport: 40000, dport: 50000, origin: 'src' }),
      udp(1, { sport: 40001, dport: 50000 }),
      udp(2, { sport: 40002, dport: 50000 }),
    ];
    expect(summary(checkBehaviour({ devices: [device] }, records))).toMatchObject([
      { side: 'remote', port: 50000, inferred: 'initiator', records: 3, bytes: 303 },
    ]);
  });
});

const conversation = fc.array(
  fc.record({
    out: fc.boolean(),
    devicePort: fc.oneof(
      fc.constantFrom(53, 123, 3478, 40000),
      fc.integer({ min: 1024, max: 65535 }),
    ),
    remotePort: fc.oneof(fc.constantFrom(53, 123, 50000), fc.integer({ min: 1024, max: 65535 })),
    remote: fc.constantFrom('203.0.113.1', '203.0.113.2'),
    bytes: fc.integer({ min: 1, max: 10_000 }),
  }),
  { maxLength: 60 },
);

type Leg = typeof conversation extends fc.Arbitrary<(infer T)[]> ? T : never;

const records = (items: readonly Leg[]): FlowRecord[] =>
  items.map((c, i) =>
    c.out
      ? udp(i, { dst: c.remote, sport: c.devicePort, dport: c.remotePort, bytes: c.bytes })
      : udp(i, {
          src: c.remote,
          dst: DEVICE,
          sport: c.remotePort,
          dport: c.devicePort,
          bytes: c.bytes,
        }),
  );

describe('the service-side rule over any conversation', () => {
  test.prop([conversation])('counts every violating record exactly once', (items) => {
    const report = checkBehaviour({ devices: [device] }, records(items));
    const total = report.findings.reduce((sum, f) => sum + f.records, 0);
    expect(total).toBe(items.length);
    expect(report.findings.reduce((sum, f) => sum + f.bytes, 0)).toBe(
      items.reduce((sum, c) => sum + c.bytes, 0),
    );
  });

  test.prop([conversation, fc.func(fc.integer())])(
    'gives the same findings whatever order the records arrive in',
    (items, key) => {
      const shuffled = records(items)
        .map((r, i) => ({ r, k: key(i) }))
        .sort((a, b) => a.k - b.k)
        .map(({ r }) => r);
      const sorted = (r: BehaviourReport) =>
        summary(r).sort(
          (a, b) =>
            a.remote.localeCompare(b.remote) || a.port - b.port || a.side.localeCompare(b.side),
        );
      expect(sorted(checkBehaviour({ devices: [device] }, shuffled))).toEqual(
        sorted(checkBehaviour({ devices: [device] }, records(items))),
      );
    },
  );
});
