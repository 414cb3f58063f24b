import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DatagramBatchBuilder } from './datagram-batch.js';
import { NdjsonBatchEncoder, exporterAddress } from './decode-batch.js';
import { FlowDecoder } from './flow-decoder.js';
import { formatFlowNdjson } from './flow-file-format.js';
import type { FlowRecord } from './flow-record.js';

const RAW = join(import.meta.dirname, '../../test/fixtures/flows/raw');
const TEMPLATE = readFileSync(join(RAW, 'netflow9_test_cisco_asr9k_tpl260.dat'));
const DATA = readFileSync(join(RAW, 'netflow9_test_cisco_asr9k_data260.dat'));

function batchOf(exporter: string, ...datagrams: Buffer[]) {
  const builder = new DatagramBatchBuilder(128 * 1024);
  builder.reset(new ArrayBuffer(128 * 1024));
  for (const d of datagrams) builder.add(d, exporter, 0, 1_700_000_000_000);
  return builder.take();
}

describe('encoding a batch as NDJSON', () => {
  it('writes exactly the lines formatFlowNdjson makes, even across many small chunks', () => {
    const expected: FlowRecord[] = [];
    const reference = new FlowDecoder();
    reference.decode(TEMPLATE, '192.0.2.9', 1_700_000_000_000);
    reference.decode(DATA, '192.0.2.9', 1_700_000_000_000, expected);
    expect(expected).toHaveLength(21);

    // A buffer of 2 KiB holds a few lines: the encoder must hand out whole lines each time.
    const encoder = new NdjsonBatchEncoder(new FlowDecoder(), 2048);
    const chunks: { text: string; records: number }[] = [];
    const total = encoder.encode(batchOf('192.0.2.9', TEMPLATE, DATA), (bytes, records) => {
      chunks.push({ text: Buffer.from(bytes).toString('utf8'), records });
    });
    expect(total).toBe(21);
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) {
      expect(chunk.text.endsWith('\n')).toBe(true);
      expect(chunk.text.split('\n').length - 1).toBe(chunk.records);
    }
    expect(chunks.map((c) => c.text).join('')).toBe(
      expected.map((r) => `${formatFlowNdjson(r)}\n`).join(''),
    );
  });

  it('emits nothing for a batch without records (a template alone)', () => {
    const encoder = new NdjsonBatchEncoder(new FlowDecoder());
    let calls = 0;
    expect(encoder.encode(batchOf('192.0.2.9', TEMPLATE), () => (calls += 1))).toBe(0);
    expect(calls).toBe(0);
  });

  it('reports an IPv4 exporter seen on a dual-stack socket by its IPv4 address', () => {
    expect(exporterAddress('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(exporterAddress('2001:db8::1')).toBe('2001:db8::1');
    expect(exporterAddress('192.0.2.1')).toBe('192.0.2.1');
  });
});
