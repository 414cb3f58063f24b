import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCapture, type CaptureCounters } from './pcap.js';

const PCAP = join(import.meta.dirname, '../../test/fixtures/flows/pcap');

function decode(bytes: Uint8Array): { counters: CaptureCounters; frames: number[] } {
  const counters: CaptureCounters = { frames: 0, udp: 0, skipped: 0, truncatedBytes: 0 };
  const frames = [...readCapture(bytes, 'capture', counters)].map((d) => d.frame);
  return { counters, frames };
}

/** Offsets of each classic-pcap record (little-endian fixtures). */
function recordStarts(bytes: Buffer): number[] {
  const starts: number[] = [];
  for (let p = 24; p < bytes.length; p += 16 + bytes.readUInt32LE(p + 8)) starts.push(p);
  return starts;
}

describe('a pcap cut off in its last record', () => {
  const whole = readFileSync(join(PCAP, 'ipfix-openbsd-pflow.pcap'));
  const starts = recordStarts(whole);
  const last = starts.at(-1) ?? 0;

  it('decodes every complete record and counts the bytes of the cut one', () => {
    const cut = whole.subarray(0, last + 16 + 10);
    const { counters, frames } = decode(cut);
    expect(counters.frames).toBe(starts.length - 1);
    expect(frames).toEqual(decode(whole).frames.filter((f) => f < starts.length));
    expect(counters.truncatedBytes).toBe(26);
  });

  it('counts a record header cut short the same way', () => {
    const { counters } = decode(whole.subarray(0, last + 7));
    expect(counters.frames).toBe(starts.length - 1);
    expect(counters.truncatedBytes).toBe(7);
  });

  it('still refuses a record that claims more than any frame can be', () => {
    const bad = Buffer.from(whole);
    bad.writeUInt32LE(0x7fffffff, last + 8);
    expect(() => decode(bad)).toThrow(/FLOW_PCAP_INVALID|more than/);
  });

  it('reports no truncation for a whole capture', () => {
    expect(decode(whole).counters.truncatedBytes).toBe(0);
  });
});

/** The same frames as a pcapng: section header, one interface, one enhanced packet block each. */
function toPcapng(pcap: Buffer): Buffer {
  const block = (type: number, body: Buffer): Buffer => {
    const padded = Buffer.concat([body, Buffer.alloc((4 - (body.length % 4)) % 4)]);
    const out = Buffer.alloc(12 + padded.length);
    out.writeUInt32LE(type, 0);
    out.writeUInt32LE(out.length, 4);
    padded.copy(out, 8);
    out.writeUInt32LE(out.length, out.length - 4);
    return out;
  };
  const shb = Buffer.alloc(16);
  shb.writeUInt32LE(0x1a2b3c4d, 0);
  shb.writeUInt16LE(1, 4);
  shb.writeBigInt64LE(-1n, 8);
  const idb = Buffer.alloc(8);
  idb.writeUInt16LE(pcap.readUInt32LE(20) & 0xffff, 0);
  idb.writeUInt32LE(65535, 4);
  const blocks = [block(0x0a0d0d0a, shb), block(1, idb)];
  for (const p of recordStarts(pcap)) {
    const captured = pcap.readUInt32LE(p + 8);
    const head = Buffer.alloc(20);
    const micros = BigInt(pcap.readUInt32LE(p)) * 1_000_000n + BigInt(pcap.readUInt32LE(p + 4));
    head.writeUInt32LE(0, 0);
    head.writeUInt32LE(Number(micros >> 32n), 4);
    head.writeUInt32LE(Number(micros & 0xffffffffn), 8);
    head.writeUInt32LE(captured, 12);
    head.writeUInt32LE(captured, 16);
    blocks.push(block(6, Buffer.concat([head, pcap.subarray(p + 16, p + 16 + captured)])));
  }
  return Buffer.concat(blocks);
}

describe('a pcapng cut off in its last block', () => {
  const whole = toPcapng(readFileSync(join(PCAP, 'ipfix-openbsd-pflow.pcap')));
  const full = decode(whole).counters;

  it('decodes the complete blocks and counts the bytes of the cut one', () => {
    const { counters } = decode(whole.subarray(0, whole.length - 5));
    expect(full.frames).toBeGreaterThan(1);
    expect(counters.frames).toBe(full.frames - 1);
    expect(counters.udp).toBe(full.udp - 1);
    expect(counters.truncatedBytes).toBe(
      whole.length - 5 - (whole.length - lastBlockLength(whole)),
    );
  });

  it('counts a block header cut short the same way', () => {
    const cut = whole.length - lastBlockLength(whole) + 6;
    const { counters } = decode(whole.subarray(0, cut));
    expect(counters.frames).toBe(full.frames - 1);
    expect(counters.truncatedBytes).toBe(6);
  });
});

function lastBlockLength(pcapng: Buffer): number {
  return pcapng.readUInt32LE(pcapng.length - 4);
}
