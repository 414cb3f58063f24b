import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { decodeCaptureFile } from './decode-capture.js';
import { FlowDecoder } from './flow-decoder.js';
import { formatFlowCsvRow } from './flow-file-format.js';
import type { FlowRecord } from './flow-record.js';
import type { FlowSink, FlowView } from './flow-view.js';

const FIXTURES = join(import.meta.dirname, '../../test/fixtures/flows');
const PCAP = join(FIXTURES, 'pcap');
interface Sequence {
  readonly name: string;
  readonly files: readonly string[];
}
const sequences = (
  JSON.parse(readFileSync(join(FIXTURES, 'sequences.json'), 'utf8')) as { sequences: Sequence[] }
).sequences;
const raw = (file: string): Buffer => readFileSync(join(FIXTURES, 'raw', file));
const allDatagrams = readdirSync(join(FIXTURES, 'raw'))
  .sort()
  .map((file) => new Uint8Array(raw(file)));

/** first..output as the ground-truth CSVs write them (they print 0 where a field is absent). */
function key(row: string): string {
  return row
    .split(',')
    .slice(0, 12)
    .map((cell, i) => (i >= 9 && cell === '' ? '0' : cell))
    .join(',');
}
function ours(records: readonly FlowRecord[]): string[] {
  return records.map((r) => key(formatFlowCsvRow(r).split(',').slice(2).join(','))).sort();
}
function truth(name: string, tool: 'nfdump' | 'tshark'): string[] {
  return readFileSync(join(PCAP, `${name}.${tool}.flows.csv`), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map(key)
    .sort();
}
async function decodePcap(name: string): Promise<{ records: FlowRecord[]; decoder: FlowDecoder }> {
  const records: FlowRecord[] = [];
  const { decoder } = await decodeCaptureFile(join(PCAP, `${name}.pcap`), (batch) => {
    records.push(...batch);
  });
  return { records, decoder };
}

/** Where nfdump and tshark agree but we differ, and why (docs/flows.md). */
const DELIBERATE: Readonly<Record<string, string>> = {
  'ipfix-netscaler-with-variable-length-fields-2':
    'data before its template: both tools lose it, we hold the set and decode it when the template comes',
};

describe('the real exporters’ datagrams (logstash-codec-netflow fixtures)', () => {
  const agreeing = sequences.filter((s) => {
    const nf = truth(s.name, 'nfdump');
    const ts = truth(s.name, 'tshark');
    return nf.length === ts.length && nf.every((row, i) => row === ts[i]);
  });

  it('has ground truth that agrees for most sequences', () => {
    expect(agreeing.length).toBeGreaterThanOrEqual(28);
  });

  for (const sequence of agreeing.filter((s) => DELIBERATE[s.name] === undefined)) {
    it(`decodes ${sequence.name} exactly as nfdump and tshark do`, async () => {
      const { records, decoder } = await decodePcap(sequence.name);
      expect(ours(records)).toEqual(truth(sequence.name, 'nfdump'));
      expect(decoder.counters.datagrams).toBe(sequence.files.length);
    });
  }

  it('recovers the Netscaler data that arrived before its template', async () => {
    const { records, decoder } = await decodePcap('ipfix-netscaler-with-variable-length-fields-2');
    const inOrder = await decodePcap('ipfix-netscaler-with-variable-length-fields');
    expect(ours(records)).toEqual(ours(inOrder.records));
    expect(records).toHaveLength(3);
    // The data datagram holds four data sets; the template datagram defines three of them.
    expect(decoder.counters.setsBuffered).toBe(4);
    expect(decoder.counters.setsReplayed).toBe(3);
  });

  describe('when the NetFlow v5 header count disagrees with the length', () => {
    it('drops netflow5_test_invalid01/02 (count 55582) as v5-count-invalid, as nfdump does', () => {
      for (const file of ['netflow5_test_invalid01.dat', 'netflow5_test_invalid02.dat']) {
        const decoder = new FlowDecoder();
        expect(decoder.decode(raw(file), '192.0.2.1', 0)).toEqual([]);
        expect(decoder.counters.malformed.get('v5-count-invalid')).toBe(1);
      }
    });

    it('decodes only the 2 announced records of netflow5.dat, as tshark does', async () => {
      const { records } = await decodePcap('netflow-5-valid-01');
      expect(ours(records)).toEqual(truth('netflow-5-valid-01', 'tshark'));
    });
  });

  it('keeps counters as exported where nfdump scales them by the sampling rate (Juniper MX80 v5 1:1000)', async () => {
    const { records } = await decodePcap('netflow5-juniper-mx80');
    expect(ours(records)).toEqual(truth('netflow5-juniper-mx80', 'tshark'));
    expect(records.every((r) => r.sampling === 1000)).toBe(true);
  });

  it('uses the export time for records without time fields (nfdump/tshark print 1970 or boot time)', async () => {
    const { records } = await decodePcap('ipfix-nokia-bras');
    expect(records[0]?.first).toBe(Date.parse('2017-12-14T07:23:45.148Z'));
  });

  it('reads YAF’s octet/packetTotalCount, which the ground-truth exports leave at 0', async () => {
    const { records } = await decodePcap('ipfix-yaf-basic-with-applabel');
    expect(records.map((r) => r.packets).sort()).toEqual([2, 4]);
  });

  it('decodes every sequence without an internal error', async () => {
    for (const sequence of sequences) {
      const { decoder } = await decodePcap(sequence.name);
      expect(decoder.counters.malformed.get('internal') ?? 0).toBe(0);
    }
  });
});

describe('template-before-data buffering', () => {
  const [tpl, data] = ['ipfix_test_netscaler_tpl.dat', 'ipfix_test_netscaler_data.dat'].map(raw);

  it('drops held data sets as template-missing-expired when the template never comes in time', () => {
    const decoder = new FlowDecoder({ pendingLifetimeMs: 1000 });
    expect(decoder.decode(data!, '192.0.2.1', 0)).toEqual([]);
    decoder.expire(5000);
    expect(decoder.counters.dropped.get('template-missing-expired')).toBe(4);
    expect(decoder.decode(tpl!, '192.0.2.1', 6000)).toEqual([]);
  });

  it('holds no more than the per-session bound and counts the overflow', () => {
    const decoder = new FlowDecoder({ maxPendingSets: 8 });
    for (let i = 0; i < 5; i += 1) decoder.decode(data!, '192.0.2.1', i);
    expect(decoder.counters.setsBuffered).toBe(8);
    expect(decoder.counters.dropped.get('pending-overflow')).toBe(12);
    expect(decoder.decode(tpl!, '192.0.2.1', 10)).toHaveLength(6);
  });

  it('keeps templates apart per exporter address', () => {
    const decoder = new FlowDecoder();
    decoder.decode(tpl!, '192.0.2.1', 0);
    expect(decoder.decode(data!, '192.0.2.2', 1)).toEqual([]);
    expect(decoder.decode(data!, '192.0.2.1', 2)).toHaveLength(3);
  });
});

/** Every datagram is decoded or counted: the decoder never throws and always counts it. */
function decodesOrCounts(datagram: Uint8Array, decoder = new FlowDecoder()): void {
  const before = decoder.counters.datagrams;
  const records = decoder.decode(datagram, '192.0.2.9', 1_700_000_000_000);
  expect(decoder.counters.datagrams).toBe(before + 1);
  expect(decoder.counters.malformed.get('internal') ?? 0).toBe(0);
  for (const record of records) {
    expect(record.src).not.toBe('');
    expect(record.sampling).toBeGreaterThanOrEqual(1);
  }
}

describe('hostile input (property tests)', () => {
  test.prop([fc.uint8Array({ maxLength: 2000 })])('random bytes never throw', (bytes) => {
    decodesOrCounts(bytes);
  });

  test.prop([fc.constantFrom(5, 9, 10), fc.uint8Array({ minLength: 0, maxLength: 1500 })])(
    'random bodies behind a valid version never throw',
    (version, body) => {
      const bytes = new Uint8Array(body.length + 2);
      bytes[1] = version;
      bytes.set(body, 2);
      decodesOrCounts(bytes);
    },
  );

  test.prop([fc.nat({ max: allDatagrams.length - 1 }), fc.nat()])(
    'every truncation of a real datagram is decoded or counted',
    (index, cut) => {
      const datagram = allDatagrams[index]!;
      decodesOrCounts(datagram.subarray(0, cut % (datagram.length + 1)));
    },
  );

  test.prop([
    fc.nat({ max: allDatagrams.length - 1 }),
    fc.array(fc.tuple(fc.nat(), fc.nat({ max: 255 })), { minLength: 1, maxLength: 8 }),
  ])('mutated real datagrams, after their real templates, never throw', (index, mutations) => {
    const decoder = new FlowDecoder();
    for (const datagram of allDatagrams) decoder.decode(datagram, '192.0.2.9', 1_700_000_000_000);
    const copy = new Uint8Array(allDatagrams[index]!);
    for (const [position, value] of mutations) copy[position % copy.length] = value;
    decodesOrCounts(copy, decoder);
  });
});

describe('decoding to a sink (decodeTo)', () => {
  /** Keeps every flow as a record, and how many came through the reused view. */
  class Keeper implements FlowSink {
    readonly records: FlowRecord[] = [];
    viewed = 0;
    flow(view: FlowView): void {
      this.viewed += 1;
      this.records.push(view.toRecord());
    }
    record(record: FlowRecord): void {
      this.records.push(record);
    }
  }

  it('delivers for every real sequence the records decode() returns, v9/IPFIX through the view', () => {
    let viewed = 0;
    for (const sequence of sequences) {
      const records = new FlowDecoder();
      const sinks = new FlowDecoder();
      const keeper = new Keeper();
      const expected: FlowRecord[] = [];
      for (const file of sequence.files) {
        records.decode(raw(file), '192.0.2.1', 1_700_000_000_000, expected);
        sinks.decodeTo(raw(file), '192.0.2.1', 1_700_000_000_000, keeper);
      }
      expect(keeper.records, sequence.name).toStrictEqual(expected);
      expect(sinks.counters.toJSON()).toEqual(records.counters.toJSON());
      viewed += keeper.viewed;
    }
    expect(viewed).toBeGreaterThan(100);
  });

  it('hands NetFlow v9 and IPFIX flows over in one reused view', () => {
    const decoder = new FlowDecoder();
    const views = new Set<FlowView>();
    const sink: FlowSink = {
      flow: (view) => views.add(view),
      record: () => undefined,
    };
    for (const file of ['ipfix_test_netscaler_tpl.dat', 'ipfix_test_netscaler_data.dat'])
      decoder.decodeTo(raw(file), '192.0.2.1', 0, sink);
    expect(decoder.counters.records).toBe(3);
    expect(views.size).toBe(1);
  });
});
