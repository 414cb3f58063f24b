import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DatagramBatchBuilder, MAX_DATAGRAM_BYTES, datagramsOf } from './datagram-batch.js';

const CAPACITY = 128 * 1024;

describe('a datagram batch', () => {
  it('gives back every datagram it was given, in order, with its exporter, listener and time', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            payload: fc.uint8Array({ maxLength: 3000 }),
            exporter: fc.constantFrom('192.0.2.1', '2001:db8::1', '::ffff:198.51.100.7'),
            listener: fc.integer({ min: 0, max: 65_535 }),
            receivedAt: fc.integer({ min: 0, max: 2 ** 45 }),
          }),
          { maxLength: 40 },
        ),
        (datagrams) => {
          const builder = new DatagramBatchBuilder(CAPACITY);
          builder.reset(new ArrayBuffer(CAPACITY));
          for (const d of datagrams) {
            expect(builder.fits(d.payload.length)).toBe(true);
            builder.add(d.payload, d.exporter, d.listener, d.receivedAt);
          }
          const batch = builder.take();
          expect(builder.ready).toBe(false);
          const back = [...datagramsOf(batch)].map((d) => ({
            payload: Uint8Array.from(d.payload),
            exporter: d.exporter,
            listener: d.listener,
            receivedAt: d.receivedAt,
          }));
          expect(back).toEqual(datagrams);
        },
      ),
    );
  });

  it('says when a datagram no longer fits, so the receive thread starts the next batch', () => {
    const builder = new DatagramBatchBuilder(CAPACITY);
    builder.reset(new ArrayBuffer(CAPACITY));
    builder.add(new Uint8Array(MAX_DATAGRAM_BYTES), '192.0.2.1', 0, 0);
    expect(builder.fits(MAX_DATAGRAM_BYTES)).toBe(false);
    expect(builder.fits(CAPACITY - builder.bytesUsed - 16)).toBe(true);
  });

  it('refuses a capacity that cannot hold the largest UDP payload', () => {
    expect(() => new DatagramBatchBuilder(MAX_DATAGRAM_BYTES)).toThrow(RangeError);
  });

  describe('when a batch that crossed threads claims more bytes than it holds', () => {
    it('stops with a RangeError instead of reading past its end', () => {
      const builder = new DatagramBatchBuilder(CAPACITY);
      builder.reset(new ArrayBuffer(CAPACITY));
      builder.add(new Uint8Array(100), '192.0.2.1', 0, 0);
      const batch = builder.take();
      expect(() => [...datagramsOf({ ...batch, used: 50 })]).toThrow(RangeError);
      expect(() => [...datagramsOf({ ...batch, datagrams: 2 })]).toThrow(RangeError);
      expect(() => [...datagramsOf({ ...batch, exporters: [] })]).toThrow(RangeError);
    });
  });
});
