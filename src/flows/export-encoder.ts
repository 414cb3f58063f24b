/**
 * An exporter's side of NetFlow v9 (RFC 3954) and IPFIX (RFC 7011): flow records encoded as the
 * export datagrams a router sends, so recorded or synthetic flows can be replayed through the
 * UDP collector exactly as live exports arrive (the demo world does; so can tests and benches).
 * Every datagram carries its template set first (exporters resend templates; a collector that
 * missed one still decodes), then one data set of at most `recordsPerDatagram` records.
 */
import { isIPv4, isIPv6 } from '../ip/family.js';
import { FlowError } from './errors.js';
import type { FlowRecord } from './flow-record.js';

/** [information element id, length] of a template's fields (IANA IPFIX IEs = NetFlow v9 types). */
type Field = readonly [number, number];

const V4: readonly Field[] = [
  [8, 4], // sourceIPv4Address
  [12, 4], // destinationIPv4Address
];
const V6: readonly Field[] = [
  [27, 16], // sourceIPv6Address
  [28, 16], // destinationIPv6Address
];
const COMMON: readonly Field[] = [
  [7, 2], // sourceTransportPort
  [11, 2], // destinationTransportPort
  [4, 1], // protocolIdentifier
  [6, 1], // tcpControlBits (reduced-size encoding, RFC 7011 §6.2)
  [2, 8], // packetDeltaCount
  [1, 8], // octetDeltaCount
];
/** IPFIX: absolute times and the RFC 5103 biflowDirection that says who opened the flow. */
const IPFIX_TIMES: readonly Field[] = [
  [152, 8], // flowStartMilliseconds
  [153, 8], // flowEndMilliseconds
  [239, 1], // biflowDirection
];
/** NetFlow v9: FIRST_SWITCHED / LAST_SWITCHED in sysUptime milliseconds (RFC 3954 §8). */
const V9_TIMES: readonly Field[] = [
  [22, 4], // FIRST_SWITCHED
  [21, 4], // LAST_SWITCHED
];

const TEMPLATE_V4 = 256;
const TEMPLATE_V6 = 257;
/** The v9 exporter's uptime at each export: 30 days, inside the 32-bit millisecond counter. */
const V9_UPTIME_MS = 30 * 86_400_000;

export interface ExportOptions {
  /** NetFlow v9 source ID / IPFIX observation domain ID. Default 0. */
  readonly domain?: number;
  /** Data records per datagram (a datagram stays under a 1,500-byte MTU at 24). Default 24. */
  readonly recordsPerDatagram?: number;
  /** The first datagram's sequence number. Default 0. */
  readonly sequence?: number;
}

type Protocol = 'ipfix' | 'netflow9';

function addressBytes(text: string, where: string): Buffer {
  if (isIPv4(text)) return Buffer.from(text.split('.').map(Number));
  if (!isIPv6(text)) {
    throw new FlowError('FLOW_FILE_INVALID', `${where}: "${text}" is not an IP address`, { where });
  }
  // An embedded IPv4 tail (::ffff:192.0.2.1) is the last two 16-bit groups.
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  const hex = (a: string | undefined, b: string | undefined) =>
    (Number(a) * 256 + Number(b)).toString(16);
  const plain =
    dotted === null
      ? text
      : `${text.slice(0, dotted.index)}${hex(dotted[1], dotted[2])}:${hex(dotted[3], dotted[4])}`;
  const [head = '', tail] = plain.split('::');
  const groups = (part: string) => (part === '' ? [] : part.split(':'));
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const all = [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  const out = Buffer.alloc(16);
  all.forEach((group, i) => out.writeUInt16BE(Number.parseInt(group, 16), i * 2));
  return out;
}

function fieldsOf(protocol: Protocol, v6: boolean): readonly Field[] {
  return [...(v6 ? V6 : V4), ...COMMON, ...(protocol === 'ipfix' ? IPFIX_TIMES : V9_TIMES)];
}

function templateSet(protocol: Protocol, id: number, fields: readonly Field[]): Buffer {
  const set = Buffer.alloc(4 + 4 + fields.length * 4);
  // RFC 3954 §5.2: template FlowSet id 0; RFC 7011 §3.3.2: template set id 2.
  set.writeUInt16BE(protocol === 'ipfix' ? 2 : 0, 0);
  set.writeUInt16BE(set.length, 2);
  set.writeUInt16BE(id, 4);
  set.writeUInt16BE(fields.length, 6);
  fields.forEach(([ie, length], i) => {
    set.writeUInt16BE(ie, 8 + i * 4);
    set.writeUInt16BE(length, 10 + i * 4);
  });
  return set;
}

function biflowDirection(record: FlowRecord): number {
  return record.origin === 'src' ? 1 : record.origin === 'dst' ? 2 : 0;
}

function writeRecord(
  out: Buffer,
  at: number,
  fields: readonly Field[],
  record: FlowRecord,
  boot: number,
  where: string,
): void {
  let p = at;
  for (const [ie, length] of fields) {
    switch (ie) {
      case 8:
      case 27:
        addressBytes(record.src, where).copy(out, p);
        break;
      case 12:
      case 28:
        addressBytes(record.dst, where).copy(out, p);
        break;
      case 7:
        out.writeUInt16BE(record.sport, p);
        break;
      case 11:
        out.writeUInt16BE(record.dport, p);
        break;
      case 4:
        out.writeUInt8(record.proto, p);
        break;
      case 6:
        out.writeUInt8((record.tcpFlags ?? 0) & 0xff, p);
        break;
      case 2:
        out.writeBigUInt64BE(BigInt(record.packets), p);
        break;
      case 1:
        out.writeBigUInt64BE(BigInt(record.bytes), p);
        break;
      case 152:
        out.writeBigUInt64BE(BigInt(record.first), p);
        break;
      case 153:
        out.writeBigUInt64BE(BigInt(record.last), p);
        break;
      case 239:
        out.writeUInt8(biflowDirection(record), p);
        break;
      case 22:
      case 21: {
        const t = (ie === 22 ? record.first : record.last) - boot;
        if (t < 0 || t > 0xffffffff) {
          throw new FlowError(
            'FLOW_FILE_INVALID',
            `${where}: a NetFlow v9 datagram spans at most ${V9_UPTIME_MS / 86_400_000} days of flows`,
            { where },
          );
        }
        out.writeUInt32BE(t, p);
        break;
      }
    }
    p += length;
  }
}

function encode(
  protocol: Protocol,
  records: readonly FlowRecord[],
  options: ExportOptions,
): Buffer[] {
  const per = options.recordsPerDatagram ?? 24;
  if (!Number.isInteger(per) || per < 1 || per > 1000) {
    throw new RangeError(`recordsPerDatagram must be an integer from 1 to 1000, not ${per}`);
  }
  const domain = options.domain ?? 0;
  let sequence = options.sequence ?? 0;
  const out: Buffer[] = [];
  for (const v6 of [false, true]) {
    const family = records.filter((r) => isIPv6(r.src) === v6);
    const id = v6 ? TEMPLATE_V6 : TEMPLATE_V4;
    const fields = fieldsOf(protocol, v6);
    const recordLength = fields.reduce((sum, [, length]) => sum + length, 0);
    const template = templateSet(protocol, id, fields);
    for (let start = 0; start < family.length; start += per) {
      const batch = family.slice(start, start + per);
      const where = `${protocol} datagram ${out.length + 1}`;
      // The export time follows the batch's last packet, as a live exporter's would.
      const exportMs = Math.ceil((Math.max(...batch.map((r) => r.last)) + 1) / 1000) * 1000;
      const boot = exportMs - V9_UPTIME_MS;
      const headerLength = protocol === 'ipfix' ? 16 : 20;
      const padding = (4 - ((4 + batch.length * recordLength) % 4)) % 4;
      const dataLength = 4 + batch.length * recordLength + padding;
      const datagram = Buffer.alloc(headerLength + template.length + dataLength);
      if (protocol === 'ipfix') {
        // RFC 7011 §3.1: version 10, length, export time, sequence (data records so far), domain.
        datagram.writeUInt16BE(10, 0);
        datagram.writeUInt16BE(datagram.length, 2);
        datagram.writeUInt32BE(exportMs / 1000, 4);
        datagram.writeUInt32BE(sequence >>> 0, 8);
        datagram.writeUInt32BE(domain, 12);
        sequence += batch.length;
      } else {
        // RFC 3954 §5.1: version 9, count (template + data records), sysUptime, secs, sequence, id.
        datagram.writeUInt16BE(9, 0);
        datagram.writeUInt16BE(1 + batch.length, 2);
        datagram.writeUInt32BE(V9_UPTIME_MS, 4);
        datagram.writeUInt32BE(exportMs / 1000, 8);
        datagram.writeUInt32BE(sequence >>> 0, 12);
        datagram.writeUInt32BE(domain, 16);
        sequence += 1;
      }
      template.copy(datagram, headerLength);
      const data = headerLength + template.length;
      datagram.writeUInt16BE(id, data);
      datagram.writeUInt16BE(dataLength, data + 2);
      batch.forEach((record, i) => {
        writeRecord(datagram, data + 4 + i * recordLength, fields, record, boot, where);
      });
      out.push(datagram);
    }
  }
  return out;
}

/** The records as IPFIX messages (template set 2, data set 256 for IPv4, 257 for IPv6). */
export function encodeIpfix(records: readonly FlowRecord[], options: ExportOptions = {}): Buffer[] {
  return encode('ipfix', records, options);
}

/**
 * The records as NetFlow v9 export packets (template FlowSet 0, data FlowSets 256/257). Times
 * are carried relative to sysUptime, so one datagram's flows must lie within 30 days.
 */
export function encodeNetflowV9(
  records: readonly FlowRecord[],
  options: ExportOptions = {},
): Buffer[] {
  return encode('netflow9', records, options);
}
