import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FlowRecord } from './flow-record.js';
import { isZeekLog, readZeekConnLog } from './zeek.js';

const dir = mkdtempSync(join(tmpdir(), 'nospy-zeek-'));
const TSV = [
  '#separator \\x09',
  '#set_separator\t,',
  '#empty_field\t(empty)',
  '#unset_field\t-',
  '#path\tconn',
  '#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\torig_bytes\tresp_bytes\tconn_state\tlocal_orig\tlocal_resp\tmissed_bytes\thistory\torig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes\ttunnel_parents',
  '#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\tstring\tbool\tbool\tcount\tstring\tcount\tcount\tcount\tcount\tset[string]',
  '1700000000.250000\tCabc1\t10.0.0.5\t51000\t93.184.216.34\t443\ttcp\tssl\t1.5\t500\t4000\tSF\tT\tF\t0\tShADadFf\t10\t1020\t9\t4480\t-',
  '1700000001.000000\tCabc2\t10.0.0.5\t51001\t93.184.216.34\t443\ttcp\t-\t-\t-\t-\tOTH\tT\tF\t0\tDd\t2\t104\t1\t52\t-',
  '1700000002.000000\tCabc3\t10.0.0.5\t8\t10.0.0.1\t0\ticmp\t-\t0.001\t56\t56\tOTH\tT\tT\t0\t-\t1\t84\t1\t84\t-',
  '#close\t2024-01-01-00-00-00',
].join('\n');

async function read(text: string, name: string): Promise<FlowRecord[]> {
  const path = join(dir, name);
  writeFileSync(path, text);
  expect(await isZeekLog(path)).toBe(true);
  const out: FlowRecord[] = [];
  await readZeekConnLog(path, (records) => {
    out.push(...records);
  });
  return out;
}

describe('a Zeek conn.log', () => {
  it('maps the TSV columns to flow records, orig as the source', async () => {
    const [tcp, midstream, icmp] = await read(TSV, 'conn.log');
    expect(tcp).toMatchObject({
      first: 1_700_000_000_250,
      last: 1_700_000_001_750,
      proto: 6,
      src: '10.0.0.5',
      sport: 51000,
      dst: '93.184.216.34',
      dport: 443,
      packets: 10,
      bytes: 1020,
      revPackets: 9,
      revBytes: 4480,
      origin: 'src',
      id: 'Cabc1',
    });
    expect(midstream?.origin).toBe('unknown');
    expect(icmp).toMatchObject({ proto: 1, sport: 0, dport: 8 * 256, origin: 'src' });
  });

  it('reads the JSON form too', async () => {
    const line = JSON.stringify({
      ts: 1700000000.5,
      uid: 'J1',
      'id.orig_h': '2001:db8::5',
      'id.orig_p': 5353,
      'id.resp_h': '2001:db8::1',
      'id.resp_p': 53,
      proto: 'udp',
      duration: 0.01,
      orig_pkts: 1,
      orig_ip_bytes: 80,
      conn_state: 'S0',
    });
    const [record] = await read(`${line}\n`, 'conn.json');
    expect(record).toMatchObject({
      proto: 17,
      src: '2001:db8::5',
      dport: 53,
      packets: 1,
      bytes: 80,
      origin: 'src',
    });
  });

  it('names file:line and the field of a bad value', async () => {
    const bad = TSV.replace('93.184.216.34\t443\ttcp\tssl', 'not-an-ip\t443\ttcp\tssl');
    await expect(read(bad, 'bad.log')).rejects.toThrow(/bad\.log:8: field id\.resp_h/);
  });
});
