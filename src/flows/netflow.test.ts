import { describe, expect, it } from 'vitest';
import { FlowDecoder } from './flow-decoder.js';

/** A NetFlow v5 datagram with `records` records and a header that says `count`. */
function v5(count: number, records: number): Uint8Array {
  const bytes = new Uint8Array(24 + 48 * records);
  const view = new DataView(bytes.buffer);
  view.setUint16(0, 5);
  view.setUint16(2, count);
  view.setUint32(4, 10_000); // sysUptime
  view.setUint32(8, 1_700_000_000); // unix secs
  for (let i = 0; i < records; i += 1) {
    const r = 24 + 48 * i;
    view.setUint32(r, 0x0a000001);
    view.setUint32(r + 4, 0x0a000002);
    view.setUint32(r + 16, 3);
    view.setUint32(r + 20, 180);
    view.setUint32(r + 24, 9_000);
    view.setUint32(r + 28, 9_500);
    view.setUint16(r + 32, 1);
    view.setUint16(r + 34, 0x0800);
    bytes[r + 38] = 1;
  }
  return bytes;
}

describe('NetFlow v5 count and length rules', () => {
  it('decodes a header whose 24 + 48·count fits the datagram', () => {
    const [record] = new FlowDecoder().decode(v5(1, 1), '192.0.2.1', 0);
    expect(record).toMatchObject({ src: '10.0.0.1', dst: '10.0.0.2', packets: 3, bytes: 180 });
    expect(record?.first).toBe(1_700_000_000_000 - 1000);
    expect(record?.last).toBe(1_700_000_000_000 - 500);
  });

  it('writes ICMP type and code as dport = type·256 + code with sport 0', () => {
    const [record] = new FlowDecoder().decode(v5(1, 1), '192.0.2.1', 0);
    expect(record).toMatchObject({ proto: 1, sport: 0, dport: 2048 });
  });

  it('counts a count beyond the datagram as v5-length-mismatch and yields nothing', () => {
    const decoder = new FlowDecoder();
    expect(decoder.decode(v5(3, 2), '192.0.2.1', 0)).toEqual([]);
    expect(decoder.counters.malformed.get('v5-length-mismatch')).toBe(1);
  });

  it('counts a count above 30 or of zero as v5-count-invalid', () => {
    const decoder = new FlowDecoder();
    expect(decoder.decode(v5(31, 31), '192.0.2.1', 0)).toEqual([]);
    expect(decoder.decode(v5(0, 1), '192.0.2.1', 0)).toEqual([]);
    expect(decoder.counters.malformed.get('v5-count-invalid')).toBe(2);
  });

  it('decodes only the announced records when the datagram carries more (netflow5.dat)', () => {
    expect(new FlowDecoder().decode(v5(2, 30), '192.0.2.1', 0)).toHaveLength(2);
  });
});
