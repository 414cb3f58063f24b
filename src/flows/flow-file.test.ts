import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { canonicalAddress } from './address.js';
import { FlowError } from './errors.js';
import {
  FLOW_FILE_COLUMNS,
  FlowFileWriter,
  readFlowFile,
  type FlowFileEntry,
} from './flow-file.js';
import type { FlowRecord } from './flow-record.js';

const dir = mkdtempSync(join(tmpdir(), 'nospy-flow-file-'));
let counter = 0;
function file(name: string, text: string): string {
  counter += 1;
  const path = join(dir, `${counter}-${name}`);
  writeFileSync(path, text);
  return path;
}

async function readAll(path: string): Promise<FlowFileEntry[]> {
  const out: FlowFileEntry[] = [];
  for await (const entry of readFlowFile(path)) out.push(entry);
  return out;
}

async function failure(path: string): Promise<FlowError> {
  try {
    await readAll(path);
  } catch (error) {
    if (error instanceof FlowError) return error;
    throw error;
  }
  throw new Error('expected a FlowError');
}

const HEADER = FLOW_FILE_COLUMNS.join(',');
const ROW =
  '192.0.2.1,7,2024-03-01T00:00:00.000Z,2024-03-01T00:00:01.500Z,6,10.0.0.2,51000,2001:DB8::0:1,443,3,180,2,1,2,,,100,src';

describe('a CSV flow file', () => {
  it('yields each record with its line number and the fields as written', async () => {
    const [entry] = await readAll(file('a.csv', `${HEADER}\n${ROW}\n`));
    expect(entry?.line).toBe(2);
    expect(entry?.initiator).toBe('src');
    expect(entry?.record).toMatchObject({
      exporter: '192.0.2.1',
      domain: 7,
      first: Date.parse('2024-03-01T00:00:00.000Z'),
      last: Date.parse('2024-03-01T00:00:01.500Z'),
      proto: 6,
      src: '10.0.0.2',
      sport: 51000,
      dst: '2001:db8::1',
      dport: 443,
      packets: 3,
      bytes: 180,
      tcpFlags: 2,
      input: 1,
      output: 2,
      revPackets: undefined,
      sampling: 100,
      origin: 'src',
      initiator: undefined,
    });
  });

  it('accepts an id column first or last and the device/remote vocabulary', async () => {
    const first = await readAll(
      file('b.csv', `id,${HEADER}\nr1,${ROW.replace(/src$/, 'device')}\n`),
    );
    expect(first[0]?.record.id).toBe('r1');
    expect(first[0]?.record.initiator).toBe('device');
    expect(first[0]?.record.origin).toBe('unknown');
    expect(first[0]?.initiator).toBe('device');
    const last = await readAll(
      file('c.csv', `${HEADER},id\n${ROW.replace(/src$/, 'remote')},"r,2"\n`),
    );
    expect(last[0]?.record.id).toBe('r,2');
    expect(last[0]?.record.initiator).toBe('remote');
  });

  it('treats empty cells as absent: sampling 1, initiator unknown, domain 0', async () => {
    const row =
      ',,2024-03-01T00:00:00.000Z,2024-03-01T00:00:00.000Z,17,10.0.0.2,1,10.0.0.3,53,1,60,,,,,,,';
    const [entry] = await readAll(file('d.csv', `${HEADER}\n${row}\n`));
    expect(entry?.record).toMatchObject({
      exporter: '',
      domain: 0,
      sampling: 1,
      origin: 'unknown',
    });
    expect(entry?.record.tcpFlags).toBeUndefined();
    expect(entry?.initiator).toBe('unknown');
  });

  describe('when a field is bad', () => {
    it('names file:line and the field', async () => {
      const path = file('e.csv', `${HEADER}\n${ROW}\n${ROW.replace('51000', '70000')}\n`);
      const error = await failure(path);
      expect(error.code).toBe('FLOW_FILE_INVALID');
      expect(error.message).toContain(`${path}:3`);
      expect(error.message).toContain('sport');
    });

    it('rejects an address that is not one', async () => {
      const error = await failure(
        file('f.csv', `${HEADER}\n${ROW.replace('10.0.0.2', 'example.com')}\n`),
      );
      expect(error.message).toContain('field src');
    });

    it('rejects a header out of order', async () => {
      const error = await failure(
        file('g.csv', `${HEADER.replace('src,sport', 'sport,src')}\n${ROW}\n`),
      );
      expect(error.message).toContain('header');
    });

    it('rejects a line longer than the bound', async () => {
      const error = await failure(file('h.csv', `${HEADER}\n${'x'.repeat(70_000)}\n`));
      expect(error.message).toContain(':2: line longer than');
    });
  });
});

describe('an NDJSON flow file', () => {
  it('reads the same field names, numbers or numeric strings', async () => {
    const line = JSON.stringify({
      id: 'n1',
      exporter: '192.0.2.1',
      domain: 0,
      first: '2024-03-01T00:00:00.000Z',
      last: '2024-03-01T00:00:00.000Z',
      proto: 1,
      src: '10.0.0.2',
      sport: 0,
      dst: '10.0.0.3',
      dport: 2048,
      packets: '1',
      bytes: 84,
      sampling: 1,
      initiator: 'unknown',
    });
    const [entry] = await readAll(file('a.ndjson', `${line}\n\n`));
    expect(entry?.record).toMatchObject({ id: 'n1', proto: 1, dport: 2048, packets: 1, bytes: 84 });
  });

  it('names the line and the field of a bad value', async () => {
    const path = file(
      'b.ndjson',
      `{"first":"2024-03-01T00:00:00Z","last":"2024-03-01T00:00:00Z","proto":true}\n`,
    );
    const error = await failure(path);
    expect(error.message).toContain(`${path}:1`);
    expect(error.message).toContain('proto');
  });
});

const recordArb: fc.Arbitrary<FlowRecord> = fc.record({
  exporter: fc.ipV4(),
  domain: fc.nat({ max: 0xffffffff }),
  first: fc.integer({ min: 0, max: 4e12 }),
  last: fc.integer({ min: 4e12, max: 5e12 }),
  proto: fc.nat({ max: 255 }),
  src: fc.oneof(fc.ipV4(), fc.ipV6()),
  sport: fc.nat({ max: 65535 }),
  dst: fc.oneof(fc.ipV4(), fc.ipV6()),
  dport: fc.nat({ max: 65535 }),
  packets: fc.nat(),
  bytes: fc.maxSafeNat(),
  tcpFlags: fc.option(fc.nat({ max: 255 }), { nil: undefined }),
  input: fc.option(fc.nat({ max: 0xffffffff }), { nil: undefined }),
  output: fc.option(fc.nat({ max: 0xffffffff }), { nil: undefined }),
  revPackets: fc.option(fc.nat(), { nil: undefined }),
  revBytes: fc.option(fc.nat(), { nil: undefined }),
  sampling: fc.integer({ min: 1, max: 65535 }),
  origin: fc.constantFrom('src' as const, 'dst' as const, 'unknown' as const),
  id: fc.option(
    fc
      .string({ maxLength: 20 })
      .filter((s) => s.split('').every((c) => c >= ' ' && c !== '\u007f')),
    { nil: undefined },
  ),
});

describe('writing then reading a flow file', () => {
  test.prop([
    fc.array(recordArb, { maxLength: 20 }),
    fc.constantFrom('csv' as const, 'ndjson' as const),
  ])('gives back the same records (addresses in canonical form)', async (records, format) => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (chunk: Buffer) => chunks.push(chunk));
    const writer = new FlowFileWriter(out, format, true);
    await writer.write(records);
    await writer.begin();
    const path = file(`rt.${format}`, Buffer.concat(chunks).toString('utf8'));
    const back = (await readAll(path)).map((entry) => entry.record);
    expect(back.length).toBe(records.length);
    back.forEach((record, i) => {
      const original = records[i]!;
      expect(record.first).toBe(original.first);
      expect(record.bytes).toBe(original.bytes);
      expect(record.tcpFlags).toBe(original.tcpFlags);
      expect(record.origin).toBe(original.origin);
      expect(record.id ?? '').toBe(original.id ?? '');
      expect(record.src).toBe(canonicalAddress(original.src));
      expect(record.dst).toBe(canonicalAddress(original.dst));
    });
  });
});
