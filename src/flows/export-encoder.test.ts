import { describe, expect } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { canonicalAddress } from './address.js';
import { encodeIpfix, encodeNetflowV9 } from './export-encoder.js';
import { FlowDecoder } from './flow-decoder.js';
import type { FlowRecord } from './flow-record.js';

const DAY = 86_400_000;
const START = Date.parse('2026-05-20T00:00:00Z');

const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((b) => b.join('.'));
// Addresses in their canonical text (RFC 5952), as the decoder writes them.
const ipv6 = fc.ipV6().map((a) => canonicalAddress(a) ?? a);
const record = (address: fc.Arbitrary<string>): fc.Arbitrary<FlowRecord> =>
  fc
    .record({
      first: fc.integer({ min: START, max: START + DAY }),
      duration: fc.nat(3_600_000),
      proto: fc.constantFrom(6, 17),
      src: address,
      dst: address,
      sport: fc.nat(65_535),
      dport: fc.nat(65_535),
      packets: fc.integer({ min: 1, max: 2 ** 40 }),
      bytes: fc.integer({ min: 1, max: 2 ** 48 }),
      tcpFlags: fc.nat(255),
      origin: fc.constantFrom('src', 'dst', 'unknown'),
    })
    .map(({ duration, ...r }): FlowRecord => ({
      ...r,
      exporter: '192.0.2.1',
      domain: 7,
      last: r.first + duration,
      sampling: 1,
    }));

function decode(datagrams: readonly Buffer[]): FlowRecord[] {
  const decoder = new FlowDecoder();
  const out: FlowRecord[] = [];
  for (const d of datagrams) decoder.decode(d, '192.0.2.1', Date.now(), out);
  return out;
}

/** The fields both protocols carry exactly. */
const carried = (r: FlowRecord) => ({
  src: r.src,
  dst: r.dst,
  sport: r.sport,
  dport: r.dport,
  proto: r.proto,
  packets: r.packets,
  bytes: r.bytes,
  first: r.first,
  last: r.last,
  domain: r.domain,
});

describe('replaying flow records as export datagrams', () => {
  test.prop([fc.array(fc.oneof(record(ipv4), record(ipv6)), { maxLength: 60 })])(
    'every record sent as IPFIX decodes back to itself, who opened it included',
    (records) => {
      const decoded = decode(encodeIpfix(records, { domain: 7, recordsPerDatagram: 10 }));
      const sent = [
        ...records.filter((r) => !r.src.includes(':')),
        ...records.filter((r) => r.src.includes(':')),
      ];
      expect(decoded.map(carried)).toEqual(sent.map(carried));
      // biflowDirection says src/dst; without it TCP flags may still tell (SYN without ACK).
      decoded.forEach((d, i) => {
        const origin = sent[i]?.origin;
        if (origin !== 'unknown') expect(d.origin).toBe(origin);
      });
    },
  );

  test.prop([fc.array(record(ipv4), { minLength: 1, maxLength: 60 })])(
    'every record sent as NetFlow v9 decodes back to itself, times through sysUptime',
    (records) => {
      const decoded = decode(encodeNetflowV9(records, { domain: 7 }));
      expect(decoded.map(carried)).toEqual(records.map(carried));
    },
  );

  test('a datagram holds its template, so each one decodes alone', () => {
    const [r] = fc.sample(record(ipv4), { numRuns: 1, seed: 1 });
    if (r === undefined) throw new Error('no sample');
    const datagrams = encodeNetflowV9([r, r, r], { domain: 7, recordsPerDatagram: 1 });
    expect(datagrams).toHaveLength(3);
    expect(decode([datagrams[2] as Buffer]).map(carried)).toEqual([carried(r)]);
  });

  test('a NetFlow v9 datagram refuses flows further apart than its 30-day uptime', () => {
    const [r] = fc.sample(record(ipv4), { numRuns: 1, seed: 2 });
    if (r === undefined) throw new Error('no sample');
    const old = { ...r, first: r.first - 40 * DAY, last: r.first - 40 * DAY };
    expect(() => encodeNetflowV9([old, r])).toThrow(/30 days/);
  });
});
