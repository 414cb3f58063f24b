import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { FlowError } from './errors.js';
import {
  decodeFlowBatch,
  encodeFlowBatch,
  FLOW_BATCH_HEADER_BYTES,
  MAX_BATCH_RECORDS,
} from './flow-batch.js';
import type { FlowRecord } from './flow-record.js';
import { formatFlowNdjson } from './flow-file-format.js';

const u = (max: number) => fc.integer({ min: 0, max });
const address = fc.oneof(
  fc.ipV4(),
  fc.ipV6(),
  fc.constant(''),
  fc.constantFrom('::ffff:192.0.2.1', '2001:db8::1', '010.0.0.1', 'not an address', 'ré'),
);
const counter = fc.oneof(
  u(1000),
  fc.maxSafeNat(),
  fc.double({ min: 0, max: Number.MAX_VALUE, noNaN: true }),
);
const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

const flowRecord: fc.Arbitrary<FlowRecord> = fc
  .record({
    exporter: address,
    domain: u(0xffffffff),
    first: fc.maxSafeNat(),
    last: fc.maxSafeNat(),
    proto: u(255),
    src: address,
    dst: address,
    sport: u(0xffff),
    dport: u(0xffff),
    packets: counter,
    bytes: counter,
    tcpFlags: optional(u(0xffff)),
    input: optional(u(0xffffffff)),
    output: optional(u(0xffffffff)),
    revPackets: optional(counter),
    revBytes: optional(counter),
    sampling: u(0xffffffff),
    origin: fc.constantFrom('src', 'dst', 'unknown'),
    initiator: optional(fc.constantFrom('device', 'remote', 'unknown')),
    id: optional(fc.string({ maxLength: 40 })),
  })
  // A record leaves absent optional fields out, as every reader builds them.
  .map(
    (r) =>
      Object.fromEntries(
        Object.entries(r).filter(([, v]) => v !== undefined),
      ) as unknown as FlowRecord,
  );

describe('the binary flow batch', () => {
  test.prop([fc.array(flowRecord, { maxLength: 30 }), fc.maxSafeNat()])(
    'gives back every record exactly as it was encoded',
    (records, received) => {
      const batch = decodeFlowBatch(encodeFlowBatch(records, received));
      expect(batch.received).toBe(received);
      expect(batch.records).toEqual(records);
    },
  );

  test.prop([fc.array(flowRecord, { minLength: 1, maxLength: 5 }), fc.nat()])(
    'refuses a batch cut short anywhere with FLOW_BATCH_INVALID',
    (records, cut) => {
      const bytes = encodeFlowBatch(records, 0);
      const short = bytes.subarray(0, cut % bytes.length);
      expect(() => decodeFlowBatch(short)).toThrow(
        expect.objectContaining({ code: 'FLOW_BATCH_INVALID' }),
      );
    },
  );

  test.prop([
    fc.array(flowRecord, { maxLength: 5 }),
    fc.uint8Array({ minLength: 1, maxLength: 64 }),
    fc.nat(),
  ])(
    'decodes or refuses corrupted bytes, never throwing anything but FlowError',
    (records, noise, at) => {
      const bytes = encodeFlowBatch(records, 0).slice();
      bytes.set(
        noise.subarray(0, Math.max(0, bytes.length - (at % bytes.length))),
        at % bytes.length,
      );
      try {
        decodeFlowBatch(bytes);
      } catch (error) {
        expect(error).toBeInstanceOf(FlowError);
      }
    },
  );

  it('is compact: a typical IPv4 record takes 60 bytes, a quarter of its NDJSON line or less', () => {
    const record: FlowRecord = {
      exporter: '192.0.2.1',
      domain: 0,
      first: Date.UTC(2026, 11, 7),
      last: Date.UTC(2026, 11, 7, 0, 0, 1),
      proto: 17,
      src: '10.0.0.2',
      dst: '203.0.113.66',
      sport: 40001,
      dport: 50000,
      packets: 3,
      bytes: 420,
      sampling: 1,
      origin: 'unknown',
    };
    const size = encodeFlowBatch([record], 0).length - FLOW_BATCH_HEADER_BYTES;
    expect(size).toBe(48 + 3 * 4);
    expect(size * 4).toBeLessThanOrEqual(formatFlowNdjson(record).length);
  });

  it('carries an address that only looks like dotted-quad IPv4 as its text, unchanged', () => {
    const base: FlowRecord = {
      exporter: '192.0.2.1',
      domain: 0,
      first: 0,
      last: 0,
      proto: 17,
      src: '10.0.0.2',
      dst: '203.0.113.66',
      sport: 1,
      dport: 2,
      packets: 1,
      bytes: 1,
      sampling: 1,
      origin: 'unknown',
    };
    const odd = [
      '010.0.0.1',
      '1.2.3.256',
      '1.2.3',
      '1.2.3.4.5',
      '1.2.3.4 ',
      '0.0.0.0',
      '255.255.255.255',
    ];
    const records = odd.map((src) => ({ ...base, src }));
    expect(decodeFlowBatch(encodeFlowBatch(records, 0)).records).toEqual(records);
  });

  it('refuses a count the bytes cannot hold before allocating anything', () => {
    const bytes = encodeFlowBatch([], 0);
    new DataView(bytes.buffer).setUint32(8, MAX_BATCH_RECORDS);
    expect(() => decodeFlowBatch(bytes)).toThrow(/cannot fit/);
  });

  it('refuses another version and says which it knows', () => {
    const bytes = encodeFlowBatch([], 0);
    bytes[4] = 2;
    expect(() => decodeFlowBatch(bytes)).toThrow(/version 2; this reader knows 1/);
  });

  it.each([
    ['packets', 20 + 28, Number.NaN],
    ['bytes', 20 + 36, -1],
    ['first', 20 + 8, Number.POSITIVE_INFINITY],
  ])('refuses a record whose %s is %s, naming the record', (field, offset, value) => {
    const bytes = encodeFlowBatch([sample()], 0);
    new DataView(bytes.buffer).setFloat64(offset, value);
    expect(() => decodeFlowBatch(bytes)).toThrow(`record 0: ${field} ${value} is not a`);
  });

  it('refuses to encode a count that is not finite and not negative', () => {
    expect(() => encodeFlowBatch([{ ...sample(), bytes: Number.NaN }], 0)).toThrow(/bytes NaN/);
    expect(() => encodeFlowBatch([{ ...sample(), revPackets: -2 }], 0)).toThrow(/revPackets -2/);
  });

  it('refuses to encode a field the format would change', () => {
    const bad = { sport: 70000 } as Partial<FlowRecord>;
    expect(() => encodeFlowBatch([{ ...sample(), ...bad }], 0)).toThrow(/sport 70000/);
  });
});

function sample(): FlowRecord {
  return {
    exporter: '',
    domain: 0,
    first: 0,
    last: 0,
    proto: 6,
    src: '10.0.0.1',
    dst: '10.0.0.2',
    sport: 1,
    dport: 2,
    packets: 1,
    bytes: 1,
    sampling: 1,
    origin: 'unknown',
  };
}
