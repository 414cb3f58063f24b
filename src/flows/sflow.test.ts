import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { FlowDecoder } from './flow-decoder.js';

/** Builds an sFlow v5 datagram (sflow_version_5.txt) with one flow sample and one counter sample. */
function sflowDatagram(packet: Uint8Array, rate: number): Uint8Array {
  const bytes: number[] = [];
  const u32 = (v: number): void => {
    bytes.push((v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255);
  };
  u32(5); // version
  u32(1); // agent address type IPv4
  bytes.push(192, 0, 2, 50);
  u32(7); // sub-agent
  u32(1); // sequence
  u32(1000); // uptime
  u32(2); // samples
  // Counter sample (format 2): skipped.
  u32(2);
  u32(8);
  u32(0);
  u32(0);
  // Flow sample (format 1).
  const padded = packet.length + ((4 - (packet.length % 4)) % 4);
  const recordLength = 16 + padded;
  const sampleLength = 32 + 8 + recordLength;
  u32(1);
  u32(sampleLength);
  u32(1); // sequence
  u32(3); // source id: type 0, index 3
  u32(rate);
  u32(100); // pool
  u32(0); // drops
  u32(11); // input
  u32(12); // output
  u32(1); // records
  u32(1); // raw packet header
  u32(recordLength);
  u32(1); // ethernet
  u32(1514); // frame length
  u32(4); // stripped
  u32(packet.length);
  for (const b of packet) bytes.push(b);
  for (let i = packet.length; i < padded; i += 1) bytes.push(0);
  return Uint8Array.from(bytes);
}

/** Ethernet + 802.1Q + IPv4 + TCP SYN from 10.0.0.1:40000 to 10.0.0.2:443. */
function tcpSynFrame(): Uint8Array {
  const frame = new Uint8Array(14 + 4 + 20 + 20);
  frame.set([0x81, 0x00, 0x00, 0x05, 0x08, 0x00], 12);
  const ip = 18;
  frame.set([0x45, 0, 0, 40, 0, 0, 0x40, 0, 64, 6, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2], ip);
  const tcp = ip + 20;
  frame.set([0x9c, 0x40, 0x01, 0xbb], tcp);
  frame[tcp + 12] = 0x50;
  frame[tcp + 13] = 0x02;
  return frame;
}

describe('an sFlow v5 datagram', () => {
  it('turns a sampled TCP SYN header into a record with the sample’s rate, and skips counter samples', () => {
    const decoder = new FlowDecoder();
    const [record, ...rest] = decoder.decode(
      sflowDatagram(tcpSynFrame(), 512),
      '192.0.2.50',
      1_700_000_000_000,
    );
    expect(rest).toEqual([]);
    expect(record).toMatchObject({
      exporter: '192.0.2.50',
      domain: 3,
      proto: 6,
      src: '10.0.0.1',
      sport: 40000,
      dst: '10.0.0.2',
      dport: 443,
      packets: 1,
      bytes: 1514,
      tcpFlags: 2,
      input: 11,
      output: 12,
      sampling: 512,
      origin: 'src',
      first: 1_700_000_000_000,
    });
    expect(decoder.counters.samplesSkipped).toBe(1);
  });

  test.prop([fc.nat(), fc.nat({ max: 255 })])(
    'survives any one-byte mutation',
    (position, value) => {
      const datagram = sflowDatagram(tcpSynFrame(), 512);
      datagram[position % datagram.length] = value;
      const decoder = new FlowDecoder();
      decoder.decode(datagram, '192.0.2.50', 0);
      expect(decoder.counters.datagrams).toBe(1);
      expect(decoder.counters.malformed.get('internal') ?? 0).toBe(0);
    },
  );
});
