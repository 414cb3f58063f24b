/**
 * Export streams for the benchmark, built on real exporters' templates (Cisco ASR 9000 NetFlow v9
 * template 260, VMware VDS IPFIX template 256 with its VMware enterprise fields): the real
 * template datagram first, then data datagrams whose records follow that template.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const RAW = join(import.meta.dirname, '../../test/fixtures/flows/raw');

/** [IE id (negative = enterprise-specific), length] as the real templates define them. */
const ASR9K_260: readonly [number, number][] = [
  [2, 4],
  [1, 4],
  [8, 4],
  [12, 4],
  [10, 4],
  [14, 4],
  [21, 4],
  [22, 4],
  [7, 2],
  [11, 2],
  [16, 4],
  [17, 4],
  [18, 4],
  [9, 1],
  [13, 1],
  [4, 1],
  [6, 1],
  [5, 1],
  [61, 1],
  [89, 1],
  [48, 2],
  [234, 4],
  [235, 4],
];
const VDS_256: readonly [number, number][] = [
  [8, 4],
  [12, 4],
  [1, 8],
  [2, 8],
  [152, 8],
  [153, 8],
  [7, 2],
  [11, 2],
  [10, 4],
  [14, 4],
  [351, 8],
  [4, 1],
  [136, 1],
  [6, 1],
  [5, 1],
  [53, 1],
  [61, 1],
  [-890, 2],
  [-888, 2],
  [-889, 1],
  [210, 1],
];

export interface ExportStream {
  readonly name: string;
  readonly template: Buffer;
  readonly data: readonly Buffer[];
  readonly recordsPerDatagram: number;
  readonly records: number;
}

/** The device whose MUD file the bench checks against, and the remotes it talks to. */
export const DEVICE = [10, 0, 0, 2];
const REMOTES = [
  [198, 51, 100, 10],
  [10, 0, 0, 53],
  [10, 0, 0, 123],
  [203, 0, 113, 7],
  [10, 0, 0, 7],
];

function writeField(record: Buffer, p: number, length: number, value: number): void {
  if (length === 8) record.writeBigUInt64BE(BigInt(value), p);
  else record.writeUIntBE(value % 2 ** (8 * length), p, length);
}

function fill(
  record: Buffer,
  offset: number,
  fields: readonly [number, number][],
  i: number,
  nowSecs: number,
): void {
  const remote = REMOTES[i % REMOTES.length]!;
  const outbound = i % 2 === 0;
  let p = offset;
  for (const [id, length] of fields) {
    const write = (value: number): void => {
      writeField(record, p, length, value);
    };
    switch (id) {
      case 8:
        record.set(outbound ? DEVICE : remote, p);
        break;
      case 12:
        record.set(outbound ? remote : DEVICE, p);
        break;
      case 7:
        write(outbound ? 40000 + (i % 20000) : [443, 53, 123, 8883, 80][i % 5]!);
        break;
      case 11:
        write(outbound ? [443, 53, 123, 8883, 80][i % 5]! : 40000 + (i % 20000));
        break;
      case 4:
        write(i % 5 === 1 || i % 5 === 2 ? 17 : 6);
        break;
      case 6:
        write(i % 7 === 0 ? 0x02 : 0x1b);
        break;
      case 1:
        write(64 + (i % 1400));
        break;
      case 2:
        write(1 + (i % 30));
        break;
      case 21:
        write(3_600_000 + (i % 1000));
        break;
      case 22:
        write(3_590_000 + (i % 1000));
        break;
      case 152:
      case 153:
        write(nowSecs * 1000 - 5000 + (id === 153 ? 4000 : 0));
        break;
      case 10:
      case 14:
        write(1 + (i % 8));
        break;
      default:
        record.fill(0, p, p + length);
    }
    p += length;
  }
}

function build(
  name: string,
  templateFile: string,
  fields: readonly [number, number][],
  templateId: number,
  datagrams: number,
  recordsPerDatagram: number | undefined,
): ExportStream {
  const template = readFileSync(join(RAW, templateFile));
  const v9 = template.readUInt16BE(0) === 9;
  const recordLength = fields.reduce((sum, [, length]) => sum + length, 0);
  const headerLength = v9 ? 20 : 16;
  // By default as many records as fit a 1,400-byte datagram (an Ethernet MTU with room to spare).
  const perDatagram = recordsPerDatagram ?? Math.floor((1400 - headerLength - 4) / recordLength);
  const nowSecs = 1_700_000_000;
  const data: Buffer[] = [];
  let n = 0;
  for (let d = 0; d < datagrams; d += 1) {
    const setLength = 4 + perDatagram * recordLength;
    const datagram = Buffer.alloc(headerLength + setLength);
    // Copy the real header (version, source ID / observation domain) and fix count/length.
    template.copy(datagram, 0, 0, headerLength);
    if (v9) {
      datagram.writeUInt16BE(perDatagram, 2);
      datagram.writeUInt32BE(3_600_500, 4);
      datagram.writeUInt32BE(nowSecs, 8);
    } else {
      datagram.writeUInt16BE(datagram.length, 2);
      datagram.writeUInt32BE(nowSecs, 4);
    }
    datagram.writeUInt32BE(d + 1, v9 ? 12 : 8);
    datagram.writeUInt16BE(templateId, headerLength);
    datagram.writeUInt16BE(setLength, headerLength + 2);
    for (let r = 0; r < perDatagram; r += 1) {
      fill(datagram, headerLength + 4 + r * recordLength, fields, n, nowSecs);
      n += 1;
    }
    data.push(datagram);
  }
  return { name, template, data, recordsPerDatagram: perDatagram, records: n };
}

export function netflowV9Stream(datagrams: number, recordsPerDatagram?: number): ExportStream {
  return build(
    'NetFlow v9 (Cisco ASR 9000 template 260)',
    'netflow9_test_cisco_asr9k_tpl260.dat',
    ASR9K_260,
    260,
    datagrams,
    recordsPerDatagram,
  );
}

export function ipfixStream(datagrams: number, recordsPerDatagram?: number): ExportStream {
  return build(
    'IPFIX (VMware VDS template 256)',
    'ipfix_test_vmware_vds_tpl.dat',
    VDS_256,
    256,
    datagrams,
    recordsPerDatagram,
  );
}
